package dev.zonewire.ippacket;

/** An ICMPv6 message (RFC 4443). */
public final class Icmpv6Message extends IcmpMessage {

    public static final int DESTINATION_UNREACHABLE = 1;
    public static final int PACKET_TOO_BIG = 2;
    public static final int TIME_EXCEEDED = 3;
    public static final int PARAMETER_PROBLEM = 4;
    public static final int ECHO_REQUEST = 128;
    public static final int ECHO_REPLY = 129;

    /** Destination-unreachable codes. */
    public static final int NO_ROUTE = 0;
    public static final int ADMINISTRATIVELY_PROHIBITED = 1;
    public static final int BEYOND_SCOPE = 2;
    public static final int ADDRESS_UNREACHABLE = 3;
    public static final int PORT_UNREACHABLE = 4;
    public static final int SOURCE_POLICY_FAILED = 5;
    public static final int REJECT_ROUTE = 6;

    /** Parameter-problem codes. */
    public static final int ERRONEOUS_HEADER_FIELD = 0;
    public static final int UNRECOGNIZED_NEXT_HEADER = 1;
    public static final int UNRECOGNIZED_OPTION = 2;

    Icmpv6Message(IpPacket packet) {
        super(packet);
    }

    static boolean isEcho(int type) {
        return type == ECHO_REQUEST || type == ECHO_REPLY;
    }

    static boolean isErrorType(int type) {
        return type < 128;
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

    /** The MTU of a packet-too-big message. */
    public long mtu() {
        return packet.u32(4);
    }

    /** The pointer of a parameter-problem message: the offset in the quoted packet of the offending field. */
    public long pointer() {
        return packet.u32(4);
    }
}
