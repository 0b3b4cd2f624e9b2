package dev.zonewire.tunnel.dns;

/** What {@link ClientDns} counts; every dropped or refused input lands in exactly one of these. */
public enum DnsCounter {
    /** Queries to a sentinel on port 53. */
    QUERIES,
    /** Answered here: proxy IPs, PTR of a proxy IP, known hosts, HTTPS, the DoH canary. */
    LOCAL_ANSWERS,
    /** Handed to an upstream server. */
    FORWARDED,
    /** Dropped: not a sentinel address of the current mapping. */
    NOT_A_SENTINEL,
    /** Dropped: a port other than 53. */
    WRONG_PORT,
    /** Dropped: bytes that are not a DNS message. */
    UNPARSABLE_QUERIES,
    /** Answered SERVFAIL: a response instead of a query, or not exactly one question. */
    MALFORMED_QUERIES,
    /** Answered NOTIMP: an opcode other than QUERY. */
    UNSUPPORTED_OPCODES,
    /** Answered SERVFAIL: no proxy IPs left for a new name. */
    PROXY_IPS_EXHAUSTED,
    /** UDP dropped, TCP answered SERVFAIL: the table of forwarded queries is full. */
    PENDING_TABLE_FULL,
    /** Upstream answers passed back to the application. */
    UPSTREAM_RESPONSES,
    /** Dropped: an upstream answer that is not a DNS response. */
    MALFORMED_UPSTREAM_RESPONSES,
    /** Dropped: an upstream answer for no query we sent (unknown id or server, or another question). */
    UNMATCHED_UPSTREAM_RESPONSES,
    /** No answer in time: nothing for UDP (the application retries), SERVFAIL for TCP. */
    UPSTREAM_TIMEOUTS,
    /** The upstream could not be reached or failed: SERVFAIL. */
    UPSTREAM_FAILURES,
    /** UDP answers cut to fit the application's limit, with TC set so it retries over TCP. */
    TRUNCATED_ANSWERS
}
