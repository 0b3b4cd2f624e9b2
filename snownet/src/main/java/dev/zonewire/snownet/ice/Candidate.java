package dev.zonewire.snownet.ice;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * An ICE candidate: a transport address we can be reached at (or a peer can), its kind, its base
 * (the address checks are actually sent from) and its priority. {@link #toSdp()} and
 * {@link CandidateParser} give the SDP {@code candidate:} string that travels through the portal.
 *
 * <p>Component is always 1 and transport always UDP. The base of a remote candidate is not
 * signalled, so parsed candidates use their own address as base.
 */
public record Candidate(Kind kind, InetSocketAddress address, InetSocketAddress base, long priority,
                        String foundation) {

    /** Local preference of IPv6 candidates in signalled strings; IPv4 gets one less. */
    static final int LOCAL_PREFERENCE_IPV6 = 65535;
    static final int LOCAL_PREFERENCE_IPV4 = 65534;
    private static final int COMPONENT = 1;

    /** Candidate types and their RFC 8445 type preferences (relayed over UDP). */
    public enum Kind {
        HOST("host", 126),
        PEER_REFLEXIVE("prflx", 110),
        SERVER_REFLEXIVE("srflx", 100),
        RELAYED("relay", 2);

        private final String sdpName;
        private final int typePreference;

        Kind(String sdpName, int typePreference) {
            this.sdpName = sdpName;
            this.typePreference = typePreference;
        }

        public String sdpName() {
            return sdpName;
        }

        public int typePreference() {
            return typePreference;
        }

        static Kind ofSdpName(String name) {
            for (Kind kind : values()) {
                if (kind.sdpName.equals(name)) {
                    return kind;
                }
            }
            return null;
        }
    }

    public Candidate {
        Objects.requireNonNull(kind, "kind");
        requireUsable(address);
        requireUsable(base);
        if (priority < 0 || priority > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("priority " + priority + " is not an unsigned 32-bit number");
        }
        if (!isIceString(foundation, 32)) {
            throw new IllegalArgumentException("foundation must be 1-32 ice-chars");
        }
    }

    /** A host candidate: one of our own addresses, its own base. */
    public static Candidate host(InetSocketAddress address) {
        return of(Kind.HOST, address, address);
    }

    /** Our address as a STUN or TURN server saw it; checks go out from {@code base}. */
    public static Candidate serverReflexive(InetSocketAddress address, InetSocketAddress base) {
        return of(Kind.SERVER_REFLEXIVE, address, base);
    }

    /** An address a relay allocated for us; it is its own base, because we "send from" it through the relay. */
    public static Candidate relayed(InetSocketAddress address) {
        return of(Kind.RELAYED, address, address);
    }

    /** An address learned from a connectivity check, with the priority the check carried. */
    public static Candidate peerReflexive(InetSocketAddress address, InetSocketAddress base, long priority) {
        return new Candidate(Kind.PEER_REFLEXIVE, address, base, priority, foundation(Kind.PEER_REFLEXIVE, base));
    }

    static Candidate of(Kind kind, InetSocketAddress address, InetSocketAddress base) {
        return new Candidate(kind, address, base, priority(kind, address.getAddress(), LOCAL_PREFERENCE_IPV6, LOCAL_PREFERENCE_IPV4),
                foundation(kind, base));
    }

    /**
     * RFC 8445 section 5.1.2.1: {@code (type preference << 24) | (local preference << 8) | (256 - component)}.
     */
    public static long priority(Kind kind, InetAddress ip, int localPreferenceV6, int localPreferenceV4) {
        int localPreference = ip instanceof Inet6Address ? localPreferenceV6 : localPreferenceV4;
        return ((long) kind.typePreference << 24) | ((long) localPreference << 8) | (256 - COMPONENT);
    }

    /** The local preference bits of a priority, e.g. to recompute it with another type preference. */
    static int localPreference(long priority) {
        return (int) ((priority >>> 8) & 0xFFFF);
    }

    /** Same kind and same base give the same foundation (RFC 8445 section 5.1.1.3). */
    private static String foundation(Kind kind, InetSocketAddress base) {
        CRC32 crc = new CRC32();
        crc.update(kind.ordinal());
        crc.update(base.getAddress().getAddress());
        return Long.toHexString(crc.getValue());
    }

    public boolean isIpv4() {
        return address.getAddress() instanceof Inet4Address;
    }

    /** Same family, so the two can form a pair. */
    public boolean sameFamily(Candidate other) {
        return isIpv4() == other.isIpv4();
    }

    /**
     * The SDP attribute value, e.g. {@code candidate:1a2b 1 udp 2130706175 10.0.0.1 5000 typ host}.
     * Like the reference, no {@code raddr}/{@code rport} and no {@code ufrag} are written.
     */
    public String toSdp() {
        return "candidate:" + foundation + " " + COMPONENT + " udp " + priority + " "
                + address.getAddress().getHostAddress() + " " + address.getPort() + " typ " + kind.sdpName;
    }

    @Override
    public String toString() {
        return kind.sdpName + " " + address + (base.equals(address) ? "" : " (base " + base + ")");
    }

    /** RFC 8445 ice-char: ALPHA / DIGIT / "+" / "/". */
    static boolean isIceString(String value, int maxLength) {
        if (value == null || value.isEmpty() || value.length() > maxLength) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a candidate can have this address: an IP address and a non-zero port. Addresses a
     * peer or a relay reports (XOR-MAPPED-ADDRESS, a datagram's source) must be checked with this
     * before they become candidates.
     */
    public static boolean isUsableAddress(InetSocketAddress address) {
        return address != null && !address.isUnresolved() && address.getPort() != 0;
    }

    private static void requireUsable(InetSocketAddress address) {
        if (!isUsableAddress(address)) {
            throw new IllegalArgumentException("a candidate needs an IP address and a non-zero port");
        }
    }
}
