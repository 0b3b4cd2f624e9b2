package dev.zonewire.snownet.ice;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * Parses the SDP {@code candidate:} strings a peer trickles through the portal (RFC 8839 section
 * 5.1). Only UDP candidates of component 1 with literal IP addresses are accepted: nothing here
 * resolves a name. Optional {@code raddr}/{@code rport} and extension pairs such as
 * {@code generation}, {@code ufrag}, {@code network-id} or {@code network-cost} are read and
 * ignored. Never throws for any input.
 */
public final class CandidateParser {
    /** Far longer than any real candidate line; longer input is refused before it is split. */
    static final int MAX_LENGTH = 1024;

    private CandidateParser() {
    }

    /** What a candidate string turned out to be. */
    public sealed interface Result {
    }

    public record Parsed(Candidate candidate) implements Result {
    }

    public record Rejected(String reason) implements Result {
    }

    public static Result parse(String line) {
        if (line == null || line.length() > MAX_LENGTH) {
            return new Rejected("missing or longer than " + MAX_LENGTH + " characters");
        }
        String text = line.strip();
        if (text.startsWith("a=")) {
            text = text.substring(2);
        }
        if (!text.startsWith("candidate:")) {
            return new Rejected("does not start with 'candidate:'");
        }
        String[] tokens = text.substring("candidate:".length()).split(" +");
        if (tokens.length < 8) {
            return new Rejected("has " + tokens.length + " fields, at least 8 expected");
        }
        String foundation = tokens[0];
        if (!Candidate.isIceString(foundation, 32)) {
            return new Rejected("foundation is not 1-32 ice-chars");
        }
        if (!tokens[1].equals("1")) {
            return new Rejected("component " + tokens[1] + " is not 1");
        }
        if (!tokens[2].toLowerCase(Locale.ROOT).equals("udp")) {
            return new Rejected("transport " + tokens[2] + " is not udp");
        }
        long priority = unsigned32(tokens[3]);
        if (priority < 0) {
            return new Rejected("priority is not an unsigned 32-bit number");
        }
        InetAddress ip = ipLiteral(tokens[4]);
        if (ip == null) {
            return new Rejected("address is not a usable IP literal");
        }
        int port = port(tokens[5]);
        if (port <= 0) {
            return new Rejected("port is not 1-65535");
        }
        if (!tokens[6].equals("typ")) {
            return new Rejected("expected 'typ', found " + tokens[6]);
        }
        Candidate.Kind kind = Candidate.Kind.ofSdpName(tokens[7]);
        if (kind == null) {
            return new Rejected("unknown candidate type " + tokens[7]);
        }
        if ((tokens.length - 8) % 2 != 0) {
            return new Rejected("extension attributes do not come in name-value pairs");
        }
        InetSocketAddress address = new InetSocketAddress(ip, port);
        return new Parsed(new Candidate(kind, address, address, priority, foundation));
    }

    private static long unsigned32(String token) {
        if (token.isEmpty() || token.length() > 10 || !token.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        long value = Long.parseLong(token);
        return value <= 0xFFFFFFFFL ? value : -1;
    }

    private static int port(String token) {
        if (token.isEmpty() || token.length() > 5 || !token.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        int value = Integer.parseInt(token);
        return value <= 65535 ? value : -1;
    }

    /** The address if the token is an IPv4 or IPv6 literal that can carry traffic; never a DNS lookup. */
    private static InetAddress ipLiteral(String token) {
        if (token.indexOf('%') >= 0) {
            return null;
        }
        InetAddress ip;
        try {
            ip = InetAddress.ofLiteral(token);
        } catch (IllegalArgumentException notALiteral) {
            return null;
        }
        return ip.isAnyLocalAddress() || ip.isMulticastAddress() ? null : ip;
    }
}
