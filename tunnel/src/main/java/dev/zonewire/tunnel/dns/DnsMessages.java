package dev.zonewire.tunnel.dns;

import java.io.IOException;
import java.util.List;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** Building, parsing and sizing DNS messages with dnsjava. */
final class DnsMessages {
    /** The UDP payload size we advertise and accept from applications at most: what fits a 1280-byte IPv6 packet. */
    static final int MAX_UDP_PAYLOAD = 1280 - 40 - 8;
    /** RFC 1035: without EDNS a UDP response may not exceed this. */
    static final int CLASSIC_UDP_PAYLOAD = 512;

    private DnsMessages() {}

    /** A parsed message, or null for bytes dnsjava cannot read (its parser may fail in several ways on hostile input). */
    static Message parse(byte[] wire) {
        try {
            return new Message(wire);
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }

    /** A response to {@code query}: same id and opcode, RD copied, RA set, the question echoed, EDNS if the query had it. */
    static Message response(Message query, int rcode, List<Record> answers) {
        Header queryHeader = query.getHeader();
        Message response = new Message(queryHeader.getID());
        Header header = response.getHeader();
        header.setFlag(Flags.QR);
        header.setOpcode(queryHeader.getOpcode());
        if (queryHeader.getFlag(Flags.RD)) {
            header.setFlag(Flags.RD);
        }
        header.setFlag(Flags.RA);
        header.setRcode(rcode);
        List<Record> questions = query.getSection(Section.QUESTION);
        if (questions.size() == 1) {
            response.addRecord(questions.getFirst(), Section.QUESTION);
        }
        answers.forEach(answer -> response.addRecord(answer, Section.ANSWER));
        if (query.getOPT() != null) {
            response.addRecord(new OPTRecord(MAX_UDP_PAYLOAD, 0, 0), Section.ADDITIONAL);
        }
        return response;
    }

    /**
     * The largest UDP response {@code query}'s sender accepts over the tunnel: its EDNS size (at least
     * 512) or 512 without EDNS, and never more than fits one 1280-byte packet of that family.
     */
    static int udpLimit(Message query, boolean ipv6) {
        OPTRecord opt = query == null ? null : query.getOPT();
        int advertised = opt == null ? CLASSIC_UDP_PAYLOAD : Math.max(CLASSIC_UDP_PAYLOAD, opt.getPayloadSize());
        int tunnel = 1280 - (ipv6 ? 40 : 20) - 8;
        return Math.min(advertised, tunnel);
    }
}
