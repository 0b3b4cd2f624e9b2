package dev.zonewire.stun;

import java.net.Inet4Address;
import java.net.InetAddress;

/** The address family byte of STUN address attributes and of the TURN family attributes. */
public enum AddressFamily {
    IPV4(0x01),
    IPV6(0x02);

    private final int code;

    AddressFamily(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static AddressFamily of(InetAddress address) {
        return address instanceof Inet4Address ? IPV4 : IPV6;
    }

    /** The family with this wire code, or null for any other byte. */
    static AddressFamily ofCode(int code) {
        return switch (code) {
            case 0x01 -> IPV4;
            case 0x02 -> IPV6;
            default -> null;
        };
    }
}
