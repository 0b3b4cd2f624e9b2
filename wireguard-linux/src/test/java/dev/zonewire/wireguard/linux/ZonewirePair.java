package dev.zonewire.wireguard.linux;

import dev.zonewire.wireguard.PrivateKey;
import java.security.SecureRandom;

/**
 * Two zonewire interfaces, each in its own namespace of a {@link TestNetwork}, brought up from
 * wg-quick files: left ({@code 10.99.0.1}, {@code fd99::1}) knows right's endpoint, right
 * ({@code 10.99.0.2}, {@code fd99::2}) waits to learn left's. Both listen on port 51820. Closing takes both down and deletes the
 * namespaces.
 */
final class ZonewirePair implements AutoCloseable {
    static final String LEFT_ADDRESS = "10.99.0.1";
    static final String RIGHT_ADDRESS = "10.99.0.2";
    static final String LEFT_ADDRESS_IPV6 = "fd99::1";
    static final String RIGHT_ADDRESS_IPV6 = "fd99::2";

    final TestNetwork network;
    final PrivateKey leftKey;
    final PrivateKey rightKey;
    final String leftName;
    final String rightName;
    WgQuickInterface left;
    WgQuickInterface right;

    private ZonewirePair(TestNetwork network) {
        SecureRandom random = new SecureRandom();
        this.network = network;
        this.leftKey = PrivateKey.generate(random);
        this.rightKey = PrivateKey.generate(random);
        this.leftName = network.interfaceName("l");
        this.rightName = network.interfaceName("r");
    }

    static ZonewirePair start() throws Exception {
        ZonewirePair pair = new ZonewirePair(TestNetwork.create());
        try {
            pair.left = WgQuick.up(WgQuickConfig.parse("""
                    [Interface]
                    PrivateKey = %s
                    ListenPort = 51820
                    Address = %s/24, %s/64

                    [Peer]
                    PublicKey = %s
                    AllowedIPs = %s/32, %s/128
                    Endpoint = %s:51820
                    """.formatted(pair.leftKey.secret().exposeBase64(), LEFT_ADDRESS, LEFT_ADDRESS_IPV6,
                    pair.rightKey.publicKey().toBase64(), RIGHT_ADDRESS, RIGHT_ADDRESS_IPV6, TestNetwork.RIGHT_UNDERLAY),
                    "left.conf"),
                    pair.leftName, pair.network.left, DeviceOptions.DEFAULT_SOCKET_DIRECTORY);
            pair.right = WgQuick.up(WgQuickConfig.parse("""
                    [Interface]
                    PrivateKey = %s
                    ListenPort = 51820
                    Address = %s/24, %s/64

                    [Peer]
                    PublicKey = %s
                    AllowedIPs = %s/32, %s/128
                    """.formatted(pair.rightKey.secret().exposeBase64(), RIGHT_ADDRESS, RIGHT_ADDRESS_IPV6,
                    pair.leftKey.publicKey().toBase64(), LEFT_ADDRESS, LEFT_ADDRESS_IPV6), "right.conf"),
                    pair.rightName, pair.network.right, DeviceOptions.DEFAULT_SOCKET_DIRECTORY);
        } catch (Exception e) {
            pair.close();
            throw e;
        }
        return pair;
    }

    @Override
    public void close() throws Exception {
        if (left != null) {
            left.close();
        }
        if (right != null) {
            right.close();
        }
        network.close();
    }
}
