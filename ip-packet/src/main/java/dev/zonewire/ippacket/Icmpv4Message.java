package dev.zonewire.ippacket;

/** An ICMP message in IPv4 (RFC 792). */
public final class Icmpv4Message extends IcmpMessage {

    public static final int ECHO_REPLY = 0;
    public static final int DESTINATION_UNREACHABLE = 3;
    public static final int SOURCE_QUENCH = 4;
    public static final int REDIRECT = 5;
    public static final int ECHO_REQUEST = 8;
    public static final int TIME_EXCEEDED = 11;
    public static final int PARAMETER_PROBLEM = 12;

    /** Destination-unreachable codes (RFC 792, RFC 1812 section 5.2.7.1). */
    public static final int NET_UNREACHABLE = 0;
    public static final int HOST_UNREACHABLE = 1;
    public static final int PROTOCOL_UNREACHABLE = 2;
    public static final int PORT_UNREACHABLE = 3;
    public static final int FRAGMENTATION_NEEDED = 4;
    public static final int SOURCE_ROUTE_FAILED = 5;
    public static final int NET_UNKNOWN = 6;
    public static final int HOST_UNKNOWN = 7;
    public static final int SOURCE_HOST_ISOLATED = 8;
    public static final int NET_PROHIBITED = 9;
    public static final int HOST_PROHIBITED = 10;
    public static final int NET_UNREACHABLE_FOR_TOS = 11;
    public static final int HOST_UNREACHABLE_FOR_TOS = 12;
    public static final int COMMUNICATION_PROHIBITED = 13;
    public static final int HOST_PRECEDENCE_VIOLATION = 14;
    public static final int PRECEDENCE_CUTOFF = 15;

    Icmpv4Message(IpPacket packet) {
        super(packet);
    }

    static boolean isEcho(int type) {
        return type == ECHO_REQUEST || type == ECHO_REPLY;
    }

    static boolean isErrorType(int type) {
        return switch (type) {
            case DESTINATION_UNREACHABLE, SOURCE_QUENCH, REDIRECT, TIME_EXCEEDED, PARAMETER_PROBLEM -> true;
            default -> false;
        };
    }

    @Override
    public boolean isEchoRequest() {
        return type() == ECHO_REQUEST;
    }

    @Override
    public boolean isEchoReply() {
        return type() == ECHO_REPLY;
    }

    @Override
    public boolean isError() {
        return isErrorType(type());
    }

    /** The next-hop MTU of a fragmentation-needed message (RFC 1191); 0 from routers that predate it. */
    public int nextHopMtu() {
        return packet.u16(6);
    }

    /** The pointer of a parameter-problem message. */
    public int pointer() {
        return packet.u8(4);
    }
}
