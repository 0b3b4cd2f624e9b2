package dev.zonewire.wireguard.linux;

import static dev.zonewire.platform.linux.Errno.EADDRINUSE;
import static dev.zonewire.platform.linux.Errno.EINVAL;
import static dev.zonewire.platform.linux.Errno.EPROTO;

import dev.zonewire.common.Secret;
import dev.zonewire.platform.linux.IpPrefix;
import dev.zonewire.wireguard.PresharedKey;
import dev.zonewire.wireguard.PrivateKey;
import dev.zonewire.wireguard.PublicKey;
import dev.zonewire.wireguard.WireGuardPeer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cross-platform userspace configuration protocol (wireguard.com/xplatform) on a
 * {@link DeviceState}: the text of a {@code get=1} answer, and the lines of a {@code set=1}
 * request applied one by one, as wireguard-go does. Errors are the protocol's negative errno
 * values; a failed line stops the request and keeps what the lines before it changed.
 */
final class Uapi {
    private static final Logger log = LoggerFactory.getLogger(Uapi.class);
    private static final HexFormat HEX = HexFormat.of();
    private static final int KEY_LENGTH = 32;

    private Uapi() {
    }

    /** The answer to {@code get=1}, without the closing {@code errno} line. */
    static String get(DeviceState state) {
        StringBuilder out = new StringBuilder(256);
        line(out, "private_key", hex(state.tunnel().privateKey().secret()));
        if (state.listenPort() != 0) {
            line(out, "listen_port", Integer.toString(state.listenPort()));
        }
        if (state.firewallMark() != 0) {
            line(out, "fwmark", Integer.toUnsignedString(state.firewallMark()));
        }
        Map<WireGuardPeer, List<IpPrefix>> allowed = new IdentityHashMap<>();
        state.allowedIps().entries().forEach((prefix, peer) -> allowed.computeIfAbsent(peer, p -> new ArrayList<>()).add(prefix));
        for (WireGuardPeer peer : state.tunnel().peers()) {
            line(out, "public_key", HEX.formatHex(peer.publicKey().bytes()));
            line(out, "preshared_key", hex(peer.presharedKey().secret()));
            line(out, "protocol_version", "1");
            if (peer.endpoint() != null) {
                line(out, "endpoint", Addresses.format(peer.endpoint()));
            }
            Instant handshake = peer.lastHandshake().orElse(Instant.EPOCH);
            line(out, "last_handshake_time_sec", Long.toString(handshake.getEpochSecond()));
            line(out, "last_handshake_time_nsec", Integer.toString(handshake.getNano()));
            line(out, "tx_bytes", Long.toString(peer.txBytes()));
            line(out, "rx_bytes", Long.toString(peer.rxBytes()));
            line(out, "persistent_keepalive_interval", Long.toString(peer.persistentKeepalive().toSeconds()));
            for (IpPrefix prefix : allowed.getOrDefault(peer, List.of())) {
                line(out, "allowed_ip", Addresses.format(prefix));
            }
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String key, String value) {
        out.append(key).append('=').append(value).append('\n');
    }

    private static String hex(Secret secret) {
        byte[] bytes = secret.bytes();
        String hex = HEX.formatHex(bytes);
        Arrays.fill(bytes, (byte) 0);
        return hex;
    }

    /**
     * One {@code set=1} request: {@link #apply} each line in order until one fails, then
     * {@link #finish} once, whether it failed or not.
     */
    static final class SetOperation {
        private final DeviceState state;
        private boolean deviceSection = true;
        private WireGuardPeer peer;
        private boolean peerIgnored;
        private boolean peerCreated;
        private Duration keepaliveTurnedOn;

        SetOperation(DeviceState state) {
            this.state = state;
        }

        /** Applies one line (without its newline); returns 0 or a negative errno. */
        int apply(String line, long now) {
            int equals = line.indexOf('=');
            if (equals < 0) {
                return fail(-EPROTO, "a line without '='");
            }
            String key = line.substring(0, equals);
            String value = line.substring(equals + 1);
            try {
                if (key.equals("public_key")) {
                    finishPeer(now);
                    deviceSection = false;
                    return selectPeer(value, now);
                }
                return deviceSection ? applyDevice(key, value) : applyPeer(key, value);
            } catch (IllegalArgumentException e) {
                return fail(-EINVAL, Addresses.quote(key) + ": " + e.getMessage());
            }
        }

        /** Ends the request: the last peer's keepalive takes effect and the routing table is published. */
        void finish(long now) {
            finishPeer(now);
            state.publish();
        }

        private int applyDevice(String key, String value) {
            switch (key) {
                case "private_key" -> {
                    byte[] bytes = parseKey(value);
                    if (isZero(bytes)) {
                        return fail(-EINVAL, "private_key: an interface without a private key is not supported");
                    }
                    state.setPrivateKey(PrivateKey.fromSecret(Secret.ofBytes(bytes)));
                    Arrays.fill(bytes, (byte) 0);
                }
                case "listen_port" -> {
                    int port = (int) parseUnsigned(value, 0xffff);
                    try {
                        state.setListenPort(port);
                    } catch (IOException e) {
                        return fail(-EADDRINUSE, "listen_port " + port + ": " + e.getMessage());
                    }
                }
                case "fwmark" -> {
                    int mark = (int) parseUnsigned(value, 0xffff_ffffL);
                    try {
                        state.setFirewallMark(mark);
                    } catch (IOException e) {
                        return fail(-EADDRINUSE, "fwmark: " + e.getMessage());
                    }
                }
                case "replace_peers" -> {
                    requireTrue(value);
                    state.removeAllPeers();
                }
                default -> {
                    return fail(-EINVAL, "unknown interface key " + Addresses.quote(key));
                }
            }
            return 0;
        }

        private int selectPeer(String value, long now) {
            PublicKey key = PublicKey.fromBytes(parseKey(value));
            peer = state.peer(key);
            peerCreated = false;
            keepaliveTurnedOn = null;
            if (peer == null) {
                peer = state.addPeer(key, now);
                peerCreated = peer != null;
            }
            // Our own public key names no peer: its lines are read and ignored, as wireguard-go does.
            peerIgnored = peer == null;
            return 0;
        }

        private int applyPeer(String key, String value) {
            switch (key) {
                case "update_only" -> {
                    requireTrue(value);
                    if (peerCreated) {
                        state.removePeer(peer);
                        ignorePeer();
                    }
                }
                case "remove" -> {
                    requireTrue(value);
                    if (!peerIgnored) {
                        state.removePeer(peer);
                    }
                    ignorePeer();
                }
                case "preshared_key" -> {
                    byte[] bytes = parseKey(value);
                    if (!peerIgnored) {
                        peer.setPresharedKey(PresharedKey.fromSecret(Secret.ofBytes(bytes)));
                    }
                    Arrays.fill(bytes, (byte) 0);
                }
                case "endpoint" -> {
                    InetSocketAddress endpoint = Addresses.parseEndpoint(value);
                    if (!peerIgnored) {
                        peer.setEndpoint(endpoint);
                    }
                }
                case "persistent_keepalive_interval" -> {
                    Duration interval = Duration.ofSeconds(parseUnsigned(value, 0xffff));
                    if (!peerIgnored) {
                        keepaliveTurnedOn = interval;
                    }
                }
                case "replace_allowed_ips" -> {
                    requireTrue(value);
                    if (!peerIgnored) {
                        state.removeAllowedIps(peer);
                    }
                }
                case "allowed_ip" -> {
                    boolean remove = value.startsWith("-");
                    IpPrefix prefix = Addresses.parsePrefix(remove ? value.substring(1) : value);
                    if (!peerIgnored) {
                        if (remove) {
                            state.removeAllowedIp(peer, prefix);
                        } else {
                            state.addAllowedIp(peer, prefix);
                        }
                    }
                }
                case "protocol_version" -> {
                    if (!value.equals("1")) {
                        return fail(-EINVAL, "protocol_version " + Addresses.quote(value) + " is not supported");
                    }
                }
                default -> {
                    return fail(-EINVAL, "unknown peer key " + Addresses.quote(key));
                }
            }
            return 0;
        }

        /** What wireguard-go does once a peer's lines are done: a keepalive interval turned on sends one at once. */
        private void finishPeer(long now) {
            if (peer != null && !peerIgnored && keepaliveTurnedOn != null) {
                peer.setPersistentKeepalive(keepaliveTurnedOn, now);
            }
            keepaliveTurnedOn = null;
        }

        private void ignorePeer() {
            peer = null;
            peerIgnored = true;
            peerCreated = false;
            keepaliveTurnedOn = null;
        }

        private static int fail(int errno, String reason) {
            log.warn("UAPI set refused: {}", reason);
            return errno;
        }
    }

    /** 64 hex digits, in either case. Errors never repeat the value: it may be a private key. */
    static byte[] parseKey(String hex) {
        if (hex.length() != 2 * KEY_LENGTH) {
            throw new IllegalArgumentException("a key is 64 hex digits, got " + hex.length() + " characters");
        }
        try {
            return HEX.parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a key is 64 hex digits, got other characters");
        }
    }

    /** A decimal number from 0 to {@code max}, digits only, as Go's strconv.ParseUint reads it. */
    static long parseUnsigned(String text, long max) {
        if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(Addresses.quote(text) + " is not a number from 0 to " + max);
        }
        String digits = text.replaceFirst("^0+(?=.)", "");
        long value = digits.length() > 10 ? Long.MAX_VALUE : Long.parseLong(digits);
        if (value > max) {
            throw new IllegalArgumentException(Addresses.quote(text) + " is more than " + max);
        }
        return value;
    }

    private static void requireTrue(String value) {
        if (!value.equals("true")) {
            throw new IllegalArgumentException("the only value is true, got " + Addresses.quote(value));
        }
    }

    private static boolean isZero(byte[] bytes) {
        int bits = 0;
        for (byte b : bytes) {
            bits |= b;
        }
        return bits == 0;
    }
}
