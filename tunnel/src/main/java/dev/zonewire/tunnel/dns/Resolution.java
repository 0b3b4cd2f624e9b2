package dev.zonewire.tunnel.dns;

import org.xbill.DNS.Message;

/** What the stub resolver decided for one query: answer it here, or forward it upstream unchanged. */
public sealed interface Resolution {

    record Answer(Message response, Kind kind) implements Resolution {}

    record Forward() implements Resolution {}

    enum Kind {
        /** Proxy IPs, a PTR of a proxy IP, an empty HTTPS answer, a known host, or the DoH canary's NXDOMAIN. */
        LOCAL,
        /** Not a query, not exactly one question: SERVFAIL. */
        MALFORMED_QUERY,
        /** An opcode other than QUERY: NOTIMP. */
        UNSUPPORTED_OPCODE,
        /** A new resource name while every proxy block is taken and none may be reused yet: SERVFAIL. */
        PROXY_IPS_EXHAUSTED
    }
}
