package dev.zonewire.wireguard;

import java.util.HexFormat;

/** Hex for test vectors, written as in the RFCs: spaces and colons are ignored. */
final class Hex {
    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("[\\s:]", ""));
    }

    static String of(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private Hex() {}
}
