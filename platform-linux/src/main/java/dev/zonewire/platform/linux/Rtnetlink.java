package dev.zonewire.platform.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Interface configuration over an {@code AF_NETLINK}/{@code NETLINK_ROUTE} socket, the kernel
 * interface {@code ip} itself uses: link state and MTU, addresses, routes and policy rules.
 *
 * <p>The socket belongs to the network namespace of the thread that opens it (see
 * {@link NetworkNamespace}). Every change needs CAP_NET_ADMIN in that namespace. A request the
 * kernel refuses throws an {@link ErrnoException} naming the operation, the errno and, when the
 * kernel explains itself (extended ack), its explanation, e.g. {@code "add route 10.9.0.0/24 dev
 * zw0 table 254: No such device (ENODEV)"}. Methods are synchronized; one request is in flight at
 * a time.
 */
public final class Rtnetlink implements AutoCloseable {
    private static final int AF_UNSPEC = 0;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int NETLINK_ROUTE = 0;
    private static final int SOL_NETLINK = 270;
    private static final int NETLINK_CAP_ACK = 10;
    private static final int NETLINK_EXT_ACK = 11;

    private static final int NLM_F_REQUEST = 0x1;
    private static final int NLM_F_ACK = 0x4;
    private static final int NLM_F_EXCL = 0x200;
    private static final int NLM_F_CREATE = 0x400;
    private static final int NLM_F_DUMP = 0x300;
    private static final int NLM_F_CAPPED = 0x100;
    private static final int NLM_F_ACK_TLVS = 0x200;
    private static final int NLMSG_ERROR = 2;
    private static final int NLMSG_DONE = 3;
    private static final int NLMSGERR_ATTR_MSG = 1;

    private static final int RTM_NEWLINK = 16;
    private static final int RTM_DELLINK = 17;
    private static final int RTM_GETLINK = 18;
    private static final int RTM_NEWADDR = 20;
    private static final int RTM_DELADDR = 21;
    private static final int RTM_GETADDR = 22;
    private static final int RTM_NEWROUTE = 24;
    private static final int RTM_DELROUTE = 25;
    private static final int RTM_GETROUTE = 26;
    private static final int RTM_NEWRULE = 32;
    private static final int RTM_DELRULE = 33;

    private static final int IFF_UP = 0x1;
    private static final int IFLA_IFNAME = 3;
    private static final int IFLA_MTU = 4;
    private static final int IFA_ADDRESS = 1;
    private static final int IFA_LOCAL = 2;
    private static final int IFA_FLAGS = 8;
    private static final int IFA_F_NODAD = 0x02;
    private static final int RTA_DST = 1;
    private static final int RTA_OIF = 4;
    private static final int RTA_GATEWAY = 5;
    private static final int RTA_PRIORITY = 6;
    private static final int RTA_TABLE = 15;
    private static final int RTPROT_KERNEL = 2;
    private static final int RTPROT_STATIC = 4;
    private static final int RT_SCOPE_UNIVERSE = 0;
    private static final int RT_SCOPE_NOWHERE = 255;
    private static final int RTN_UNICAST = 1;
    private static final int FRA_PRIORITY = 6;
    private static final int FRA_FWMARK = 10;
    private static final int FRA_SUPPRESS_PREFIXLEN = 14;
    private static final int FRA_TABLE = 15;
    private static final int FRA_FWMASK = 16;
    private static final int FRA_PROTOCOL = 21;
    private static final int FR_ACT_TO_TBL = 1;
    private static final int FIB_RULE_INVERT = 0x2;

    private static final int IFINFOMSG_SIZE = 16;
    private static final int IFADDRMSG_SIZE = 8;
    private static final int RTMSG_SIZE = 12;
    private static final int BUFFER_SIZE = 64 * 1024;

    private final Arena arena = Arena.ofShared();
    private final int fd;
    private final MemorySegment request;
    private final MemorySegment response;
    private final MemorySegment kernelAddress;
    private final NetlinkMessage message;
    private int sequence;
    private boolean closed;

    private Rtnetlink(int fd) {
        this.fd = fd;
        this.request = arena.allocate(BUFFER_SIZE, 8);
        this.response = arena.allocate(BUFFER_SIZE, 8);
        this.kernelAddress = arena.allocate(12, 4);
        this.kernelAddress.set(JAVA_SHORT, 0, (short) AF_NETLINK);
        this.message = new NetlinkMessage(request);
    }

    /** Opens a route netlink socket in the calling thread's network namespace. */
    public static Rtnetlink open() throws IOException {
        int fd = Libc.check(Libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE), "open netlink socket");
        Rtnetlink netlink = new Rtnetlink(fd);
        // Ask for the kernel's explanation with every error, and not for our request echoed back.
        netlink.setOption(NETLINK_EXT_ACK);
        netlink.setOption(NETLINK_CAP_ACK);
        return netlink;
    }

    /** The interface called {@code name}; ENODEV when there is none. */
    public synchronized Link link(String name) throws IOException {
        linkRequest(RTM_GETLINK, 0, 0, 0).attributeString(IFLA_IFNAME, name);
        return parseLink(transact(() -> "find link " + name).getFirst());
    }

    /** The interface with index {@code index}; ENODEV when there is none. */
    public synchronized Link link(int index) throws IOException {
        linkRequest(RTM_GETLINK, index, 0, 0);
        return parseLink(transact(() -> "find link #" + index).getFirst());
    }

    /** Brings the interface up or down ({@code ip link set dev X up|down}). */
    public synchronized void setUp(int index, boolean up) throws IOException {
        linkRequest(RTM_NEWLINK, index, up ? IFF_UP : 0, IFF_UP);
        transact(() -> "set " + describeLink(index) + (up ? " up" : " down"));
    }

    public synchronized void setMtu(int index, int mtu) throws IOException {
        linkRequest(RTM_NEWLINK, index, 0, 0).attributeU32(IFLA_MTU, mtu);
        transact(() -> "set mtu " + mtu + " on " + describeLink(index));
    }

    /** Deletes the interface ({@code ip link del}); a TUN interface also goes when its last descriptor closes. */
    public synchronized void deleteLink(int index) throws IOException {
        linkRequest(RTM_DELLINK, index, 0, 0);
        transact(() -> "delete " + describeLink(index));
    }

    /**
     * Adds an address, e.g. {@code 100.64.0.1/32}; EEXIST when the interface has it already. An
     * IPv6 address skips duplicate address detection ({@code nodad}): on a tunnel there is no
     * neighbour to collide with, and the address can be bound to at once instead of after DAD.
     */
    public synchronized void addAddress(int index, IpPrefix address) throws IOException {
        addressRequest(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, index, address);
        if (!address.isIpv4()) {
            message.attributeU32(IFA_FLAGS, IFA_F_NODAD);
        }
        transact(() -> "add address " + address + " to " + describeLink(index));
    }

    /** Removes an address; EADDRNOTAVAIL when the interface does not have it. */
    public synchronized void removeAddress(int index, IpPrefix address) throws IOException {
        addressRequest(RTM_DELADDR, 0, index, address);
        transact(() -> "remove address " + address + " from " + describeLink(index));
    }

    /** The IPv4 and IPv6 addresses of the interface, link-local ones included. */
    public synchronized List<IpPrefix> addresses(int index) throws IOException {
        message.begin(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, ++sequence)
                .u8(AF_UNSPEC).u8(0).u8(0).u8(0).u32(0);
        List<IpPrefix> addresses = new ArrayList<>();
        for (MemorySegment reply : transact(() -> "list addresses of " + describeLink(index))) {
            if (reply.get(JAVA_INT_UNALIGNED, 20) != index) {
                continue;
            }
            MemorySegment[] attributes = attributes(reply, NetlinkMessage.HEADER_SIZE + IFADDRMSG_SIZE);
            MemorySegment value = attributes[IFA_LOCAL] != null ? attributes[IFA_LOCAL] : attributes[IFA_ADDRESS];
            if (value != null) {
                addresses.add(new IpPrefix(address(value), reply.get(JAVA_BYTE, 17) & 0xff));
            }
        }
        return addresses;
    }

    /** Adds a route ({@code ip route add}); EEXIST when the table has it already. */
    public synchronized void addRoute(Route route) throws IOException {
        routeRequest(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, route, RTPROT_STATIC, RT_SCOPE_UNIVERSE);
        transact(() -> "add route " + describe(route));
    }

    /** Removes a route; ESRCH when the table does not have it. */
    public synchronized void removeRoute(Route route) throws IOException {
        routeRequest(RTM_DELROUTE, 0, route, 0, RT_SCOPE_NOWHERE);
        transact(() -> "remove route " + describe(route));
    }

    /** The unicast routes of both families in {@code table}. */
    public synchronized List<Route> routes(int table) throws IOException {
        message.begin(RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, ++sequence)
                .u8(AF_UNSPEC).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u32(0);
        List<Route> routes = new ArrayList<>();
        for (MemorySegment reply : transact(() -> "list routes of table " + Integer.toUnsignedString(table))) {
            MemorySegment[] attributes = attributes(reply, NetlinkMessage.HEADER_SIZE + RTMSG_SIZE);
            int replyTable = attributes[RTA_TABLE] != null
                    ? attributes[RTA_TABLE].get(JAVA_INT_UNALIGNED, 0) : reply.get(JAVA_BYTE, 20) & 0xff;
            if (replyTable != table || (reply.get(JAVA_BYTE, 23) & 0xff) != RTN_UNICAST) {
                continue;
            }
            boolean ipv4 = reply.get(JAVA_BYTE, 16) == AF_INET;
            InetAddress destination = attributes[RTA_DST] != null
                    ? address(attributes[RTA_DST]) : address(MemorySegment.ofArray(new byte[ipv4 ? 4 : 16]));
            routes.add(new Route(
                    new IpPrefix(destination, reply.get(JAVA_BYTE, 17) & 0xff),
                    attributes[RTA_OIF] != null ? attributes[RTA_OIF].get(JAVA_INT_UNALIGNED, 0) : 0,
                    attributes[RTA_GATEWAY] != null ? address(attributes[RTA_GATEWAY]) : null,
                    replyTable,
                    attributes[RTA_PRIORITY] != null ? attributes[RTA_PRIORITY].get(JAVA_INT_UNALIGNED, 0) : 0));
        }
        return routes;
    }

    /** Adds a policy rule ({@code ip rule add}); EEXIST when it exists already. */
    public synchronized void addRule(RoutingRule rule) throws IOException {
        ruleRequest(RTM_NEWRULE, NLM_F_CREATE | NLM_F_EXCL, rule);
        message.attributeU8(FRA_PROTOCOL, RTPROT_KERNEL);
        transact(() -> "add rule " + rule);
    }

    /** Removes a policy rule; ENOENT when there is no such rule. */
    public synchronized void removeRule(RoutingRule rule) throws IOException {
        ruleRequest(RTM_DELRULE, 0, rule);
        transact(() -> "remove rule " + rule);
    }

    /** Adds a rule that suppresses short prefixes of a table ({@code ip rule add ... suppress_prefixlength}). */
    public synchronized void addRule(SuppressRule rule) throws IOException {
        suppressRuleRequest(RTM_NEWRULE, NLM_F_CREATE | NLM_F_EXCL, rule);
        message.attributeU8(FRA_PROTOCOL, RTPROT_KERNEL);
        transact(() -> "add rule " + rule);
    }

    /** Removes such a rule; ENOENT when there is none. */
    public synchronized void removeRule(SuppressRule rule) throws IOException {
        suppressRuleRequest(RTM_DELRULE, 0, rule);
        transact(() -> "remove rule " + rule);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Libc.close(fd);
            arena.close();
        }
    }

    private void setOption(int option) throws IOException {
        MemorySegment one = arena.allocate(JAVA_INT);
        one.set(JAVA_INT, 0, 1);
        int result = Libc.setsockopt(fd, SOL_NETLINK, option, one, 4);
        if (result < 0) {
            close();
            throw new ErrnoException("set netlink socket option " + option, -result);
        }
    }

    /** A request about one link: the header and its {@code ifinfomsg}. */
    private NetlinkMessage linkRequest(int type, int index, int flags, int change) {
        return message.begin(type, NLM_F_REQUEST | NLM_F_ACK, ++sequence)
                .u8(AF_UNSPEC).u8(0).u16(0).u32(index).u32(flags).u32(change);
    }

    private void addressRequest(int type, int flags, int index, IpPrefix address) {
        byte[] bytes = address.address().getAddress();
        message.begin(type, NLM_F_REQUEST | NLM_F_ACK | flags, ++sequence)
                .u8(address.isIpv4() ? AF_INET : AF_INET6).u8(address.length()).u8(0).u8(RT_SCOPE_UNIVERSE)
                .u32(index)
                .attribute(IFA_LOCAL, bytes)
                .attribute(IFA_ADDRESS, bytes);
    }

    private void routeRequest(int type, int flags, Route route, int protocol, int scope) {
        IpPrefix destination = route.destination();
        boolean smallTable = Integer.compareUnsigned(route.table(), 256) < 0;
        message.begin(type, NLM_F_REQUEST | NLM_F_ACK | flags, ++sequence)
                .u8(destination.isIpv4() ? AF_INET : AF_INET6).u8(destination.length()).u8(0).u8(0)
                .u8(smallTable ? route.table() : 0).u8(protocol).u8(scope).u8(RTN_UNICAST).u32(0)
                .attributeU32(RTA_TABLE, route.table())
                .attributeU32(RTA_OIF, route.interfaceIndex());
        if (destination.length() > 0) {
            message.attribute(RTA_DST, destination.address().getAddress());
        }
        if (route.gateway() != null) {
            message.attribute(RTA_GATEWAY, route.gateway().getAddress());
        }
        if (route.metric() != 0) {
            message.attributeU32(RTA_PRIORITY, route.metric());
        }
    }

    private void ruleRequest(int type, int flags, RoutingRule rule) {
        boolean smallTable = Integer.compareUnsigned(rule.table(), 256) < 0;
        message.begin(type, NLM_F_REQUEST | NLM_F_ACK | flags, ++sequence)
                .u8(rule.ipv6() ? AF_INET6 : AF_INET).u8(0).u8(0).u8(0)
                .u8(smallTable ? rule.table() : 0).u8(0).u8(0).u8(FR_ACT_TO_TBL)
                .u32(rule.invert() ? FIB_RULE_INVERT : 0)
                .attributeU32(FRA_TABLE, rule.table())
                .attributeU32(FRA_FWMARK, rule.firewallMark())
                .attributeU32(FRA_FWMASK, 0xffffffff);
        if (rule.priority() != 0) {
            message.attributeU32(FRA_PRIORITY, rule.priority());
        }
    }

    private void suppressRuleRequest(int type, int flags, SuppressRule rule) {
        boolean smallTable = Integer.compareUnsigned(rule.table(), 256) < 0;
        message.begin(type, NLM_F_REQUEST | NLM_F_ACK | flags, ++sequence)
                .u8(rule.ipv6() ? AF_INET6 : AF_INET).u8(0).u8(0).u8(0)
                .u8(smallTable ? rule.table() : 0).u8(0).u8(0).u8(FR_ACT_TO_TBL)
                .u32(0)
                .attributeU32(FRA_TABLE, rule.table())
                .attributeU32(FRA_SUPPRESS_PREFIXLEN, rule.suppressPrefixLength());
    }

    /**
     * Sends the request in the buffer and returns copies of the data messages of the reply, after
     * the kernel's acknowledgement (or the end of a dump) came.
     */
    private List<MemorySegment> transact(Supplier<String> operation) throws IOException {
        if (closed) {
            throw new IOException(operation.get() + ": the netlink socket is closed");
        }
        int length = message.finish();
        long sent = Libc.sendto(fd, request, length, 0, kernelAddress, (int) kernelAddress.byteSize());
        if (sent < 0) {
            throw new ErrnoException(operation.get(), (int) -sent);
        }
        List<MemorySegment> replies = new ArrayList<>();
        while (true) {
            long received = Libc.recv(fd, response, response.byteSize(), 0);
            if (received == -Errno.EINTR) {
                continue;
            }
            if (received < 0) {
                throw new ErrnoException(operation.get() + " (receiving the kernel's answer)", (int) -received);
            }
            int offset = 0;
            while (offset + NetlinkMessage.HEADER_SIZE <= received) {
                int messageLength = response.get(JAVA_INT, offset);
                if (messageLength < NetlinkMessage.HEADER_SIZE || offset + messageLength > received) {
                    throw new IOException(operation.get() + ": malformed netlink answer");
                }
                MemorySegment reply = response.asSlice(offset, messageLength);
                offset += NetlinkMessage.align(messageLength);
                if (reply.get(JAVA_INT_UNALIGNED, 8) != sequence) {
                    continue;
                }
                int type = reply.get(JAVA_SHORT_UNALIGNED, 4) & 0xffff;
                if (type == NLMSG_ERROR || type == NLMSG_DONE) {
                    int error = messageLength >= 20 ? reply.get(JAVA_INT_UNALIGNED, 16) : 0;
                    if (error < 0) {
                        String explanation = type == NLMSG_ERROR ? kernelMessage(reply) : null;
                        throw new ErrnoException(operation.get(), -error, explanation);
                    }
                    return replies;
                }
                replies.add(MemorySegment.ofArray(reply.toArray(JAVA_BYTE)).asReadOnly());
            }
        }
    }

    private static String kernelMessage(MemorySegment error) {
        int flags = error.get(JAVA_SHORT_UNALIGNED, 6) & 0xffff;
        if ((flags & NLM_F_ACK_TLVS) == 0) {
            return null;
        }
        int echoed = (flags & NLM_F_CAPPED) != 0 ? NetlinkMessage.HEADER_SIZE : error.get(JAVA_INT_UNALIGNED, 20);
        MemorySegment text = attributes(error, NetlinkMessage.HEADER_SIZE + 4 + echoed)[NLMSGERR_ATTR_MSG];
        return text == null ? null : text.getString(0);
    }

    /** The attributes of a message from {@code offset}, indexed by type; later ones of a type win. */
    private static MemorySegment[] attributes(MemorySegment message, int offset) {
        MemorySegment[] found = new MemorySegment[64];
        long end = message.byteSize();
        while (offset + 4 <= end) {
            int length = message.get(JAVA_SHORT_UNALIGNED, offset) & 0xffff;
            int type = message.get(JAVA_SHORT_UNALIGNED, offset + 2) & 0x3fff;
            if (length < 4 || offset + length > end) {
                break;
            }
            if (type < found.length) {
                found[type] = message.asSlice(offset + 4, length - 4);
            }
            offset += NetlinkMessage.align(length);
        }
        return found;
    }

    private static Link parseLink(MemorySegment reply) {
        MemorySegment[] attributes = attributes(reply, NetlinkMessage.HEADER_SIZE + IFINFOMSG_SIZE);
        return new Link(
                reply.get(JAVA_INT_UNALIGNED, 20),
                attributes[IFLA_IFNAME] == null ? "" : attributes[IFLA_IFNAME].getString(0),
                attributes[IFLA_MTU] == null ? 0 : attributes[IFLA_MTU].get(JAVA_INT_UNALIGNED, 0),
                (reply.get(JAVA_INT_UNALIGNED, 24) & IFF_UP) != 0);
    }

    private static InetAddress address(MemorySegment value) {
        try {
            return InetAddress.getByAddress(value.toArray(JAVA_BYTE));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("the kernel sent an address of " + value.byteSize() + " bytes", e);
        }
    }

    private String describe(Route route) {
        return route.destination() + (route.gateway() == null ? "" : " via " + route.gateway().getHostAddress())
                + " dev " + describeLink(route.interfaceIndex()).substring("link ".length())
                + " table " + Integer.toUnsignedString(route.table());
    }

    /**
     * {@code "link zw0"}, or {@code "link #7"} when the name cannot be found. Only for error
     * messages: it overwrites the request buffer.
     */
    private String describeLink(int index) {
        try {
            return "link " + link(index).name();
        } catch (IOException | RuntimeException e) {
            return "link #" + index;
        }
    }
}
