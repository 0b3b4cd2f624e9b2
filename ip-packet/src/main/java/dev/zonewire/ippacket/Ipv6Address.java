package dev.zonewire.ippacket;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/** An IPv6 address as two longs: {@code high} holds bytes 0-7 and {@code low} bytes 8-15, in network order. */
public record Ipv6Address(long high, long low) implements IpAddress {

    /** {@code ::}, the unspecified address (also the source and destination of p2p-control packets). */
    public static final Ipv6Address UNSPECIFIED = new Ipv6Address(0, 0);

    public static Ipv6Address of(Inet6Address address) {
        ByteBuffer bytes = ByteBuffer.wrap(address.getAddress());
        return new Ipv6Address(bytes.getLong(0), bytes.getLong(8));
    }

    public static Ipv6Address parse(String literal) {
        return of((Inet6Address) Inet6Address.ofLiteral(literal));
    }

    @Override
    public int version() {
        return 6;
    }

    /** Always an {@link Inet6Address}: an IPv4-mapped address is not turned into IPv4. */
    @Override
    public InetAddress toInetAddress() {
        try {
            return Inet6Address.getByAddress(null, ByteBuffer.allocate(16).putLong(high).putLong(low).array(), -1);
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /** The RFC 5952 text form: lower case, the longest run of two or more zero groups written as {@code ::}. */
    @Override
    public String toString() {
        int[] groups = new int[8];
        for (int i = 0; i < 4; i++) {
            groups[i] = (int) (high >>> (48 - 16 * i)) & 0xFFFF;
            groups[i + 4] = (int) (low >>> (48 - 16 * i)) & 0xFFFF;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(j, i + 1);
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
