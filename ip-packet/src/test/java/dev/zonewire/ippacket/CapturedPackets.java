package dev.zonewire.ippacket;

/**
 * Packets the Linux kernel (6.x) wrote to a TUN device in a network namespace, captured for these
 * tests with ping, ping -R, curl, a UDP socket, multicast joins, and by writing a UDP datagram and
 * a TCP SYN to closed ports into the TUN (the kernel answered with ICMP port unreachable and RST).
 * Local side 10.199.0.1 / fd00:199::1, remote side 10.199.0.2 / fd00:199::2.
 */
final class CapturedPackets {

    /** ping -c1 -s 16 -p 5a 10.199.0.2: echo request, id 0x4783, seq 1. */
    static final String PING4 =
            "4500002c320d40004001f3330ac700010ac700020800bbc047830001fbe3046b00000000e66b0e0000000000";
    /** ping -R: echo request with options no-operation then a 39-byte record route (type 7) holding 10.199.0.1; IHL 15. */
    static final String PING4_RECORD_ROUTE =
            "4f00004c322540004001b6240ac700010ac70002010727080ac70001000000000000000000000000000000000000"
            + "00000000000000000000000000000800a3fe47f000010001020304050607";
    /** ping -6 -c1 -s 16: ICMPv6 echo request, id 0x4844, seq 1, flow label 0xd7951. */
    static final String PING6 =
            "600d795100183a40fd000199000000000000000000000001fd0001990000000000000000000000028000e5c748440001"
            + "fde3046b000000004f1a030000000000";
    /** UDP "hello zonewire\n" from port 36177 to 10.199.0.2:5353. */
    static final String UDP4 =
            "4500002b5a0340004011cb2e0ac700010ac700028d5114e90017275f68656c6c6f207a6f6e65776972650a";
    /** The same datagram over IPv6, from port 53164. */
    static final String UDP6 =
            "600b80fd00171140fd000199000000000000000000000001fd000199000000000000000000000002cfac14e90017fd5d"
            + "68656c6c6f207a6f6e65776972650a";
    /** curl's TCP SYN to 10.199.0.2:8080 with MSS, SACK-permitted, timestamps and window-scale options. */
    static final String TCP4_SYN =
            "4500003cfa03400040062b280ac700010ac70002a4221f908a9b39cf00000000a002faf073670000020405b40402080a"
            + "76efc507000000000103030a";
    /** curl's TCP SYN over IPv6. */
    static final String TCP6_SYN =
            "60044dde00280640fd000199000000000000000000000001fd000199000000000000000000000002cdd81f90538f7484"
            + "00000000a002fd20b50f0000020405a00402080a2556bdd7000000000103030a";
    /** The kernel's RST+ACK answering a SYN from 10.199.0.2:40001 to closed port 81. */
    static final String TCP4_RST =
            "4500002800004000400625400ac700010ac7000200519c4100000000000003e950140000f9c40000";
    /** ICMP port unreachable (3/3, TOS 0xc0) quoting a UDP datagram from 10.199.0.2:40000 to port 9 ("knock"). */
    static final String ICMP4_PORT_UNREACHABLE =
            "45c0003d348d000040012fe30ac700010ac70002030312ac000000004500002112344000401113080ac700020ac70001"
            + "9c400009000d08286b6e6f636b";
    /** ICMPv6 port unreachable (1/4) quoting a UDP datagram from [fd00:199::2]:40000 to port 9 ("knock"). */
    static final String ICMP6_PORT_UNREACHABLE =
            "600ad950003d3a40fd000199000000000000000000000001fd0001990000000000000000000000020104901e00000000"
            + "60000000000d1140fd000199000000000000000000000002fd0001990000000000000000000000019c400009000d2082"
            + "6b6e6f636b";
    /** IGMPv3 membership report for 239.1.2.3 to 224.0.0.22, with the router-alert option (IHL 6). */
    static final String IGMP3_REPORT =
            "46c00028000040000102f9310ac70001e0000016940400002200e8f90000000104000000ef010203";
    /** MLDv2 report for ff15::1234 to ff02::16: a hop-by-hop header (router alert) before ICMPv6 type 143. */
    static final String MLD2_REPORT =
            "6000000000240001fe800000000000006cd46135027ef054ff0200000000000000000000000000163a00050200000100"
            + "8f009ce70000000104000000ff150000000000000000000000001234";
    /** A router solicitation from the TUN's link-local address, sent when the link came up. */
    static final String ROUTER_SOLICITATION =
            "6000000000083afffe80000000000000b0a683904e4f4460ff0200000000000000000000000000028500b65000000000";

    static final String[] ALL = {
        PING4, PING4_RECORD_ROUTE, PING6, UDP4, UDP6, TCP4_SYN, TCP6_SYN, TCP4_RST, ICMP4_PORT_UNREACHABLE,
        ICMP6_PORT_UNREACHABLE, IGMP3_REPORT, MLD2_REPORT, ROUTER_SOLICITATION,
    };

    private CapturedPackets() {}
}
