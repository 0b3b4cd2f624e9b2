package dev.zonewire.tunnel.dns;

import dev.zonewire.tunnel.net.Addresses;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;

/**
 * Decodes reverse-lookup names: exactly four decimal labels before {@code in-addr.arpa}, or exactly 32
 * hex nibbles before {@code ip6.arpa}, read back to front. Anything else is not a reverse name.
 */
final class ReverseNames {

    private ReverseNames() {}

    /** The address {@code labels} (without the root) name, or null. */
    static InetAddress address(List<String> labels) {
        int size = labels.size();
        if (size < 2 || !labels.get(size - 1).toLowerCase(Locale.ROOT).equals("arpa")) {
            return null;
        }
        return switch (labels.get(size - 2).toLowerCase(Locale.ROOT)) {
            case "in-addr" -> size == 6 ? ipv4(labels) : null;
            case "ip6" -> size == 34 ? ipv6(labels) : null;
            default -> null;
        };
    }

    private static InetAddress ipv4(List<String> labels) {
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String label = labels.get(3 - i);
            if (label.isEmpty() || label.length() > 3 || !label.chars().allMatch(c -> c >= '0' && c <= '9')
                    || label.length() > 1 && label.charAt(0) == '0') {
                return null;
            }
            int octet = Integer.parseInt(label);
            if (octet > 255) {
                return null;
            }
            bytes[i] = (byte) octet;
        }
        return Addresses.ofBytes(bytes);
    }

    private static InetAddress ipv6(List<String> labels) {
        byte[] bytes = new byte[16];
        for (int i = 0; i < 32; i++) {
            String label = labels.get(31 - i);
            int nibble = label.length() == 1 ? Character.digit(label.charAt(0), 16) : -1;
            if (nibble < 0) {
                return null;
            }
            bytes[i / 2] |= (byte) (i % 2 == 0 ? nibble << 4 : nibble);
        }
        return Addresses.ofBytes(bytes);
    }

}
