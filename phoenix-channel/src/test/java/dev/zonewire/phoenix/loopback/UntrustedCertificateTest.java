package dev.zonewire.phoenix.loopback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.common.Secret;
import dev.zonewire.phoenix.client.ChannelEvent;
import dev.zonewire.phoenix.client.HostResolver;
import dev.zonewire.phoenix.client.LoginUrl;
import dev.zonewire.phoenix.client.PortalChannel;
import java.io.FileInputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * wss:// verifies the portal's certificate: a self-signed one, even for the right host name, is a
 * failed handshake (retried, as any TLS error), never a connection that would hand over the token.
 */
class UntrustedCertificateTest {
    private static final char[] PASSWORD = "changeit".toCharArray();

    @Test
    void aSelfSignedPortalCertificateIsRefusedAndTheTokenIsNeverSent(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("portal.p12");
        var keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "portal", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor()).as(new String(keytool.getInputStream().readAllBytes())).isZero();

        try (var server = tlsServer(keystore)) {
            var handshakes = Thread.ofVirtual().start(() -> serveHandshakes(server));
            var url = LoginUrl.forRelay(URI.create("wss://localhost:" + server.getLocalPort()), Secret.of(LoopbackPortal.GOOD_TOKEN),
                    Optional.of("relay-lo"), Optional.of((Inet4Address) InetAddress.getByName("203.0.113.7")), Optional.empty(), 3478);
            HostResolver loopback = host -> List.of(InetAddress.getLoopbackAddress());
            var events = new EventRecorder();
            try (var _ = PortalChannel.start(Relays.config(), url, loopback, events)) {
                var refused = events.await(ChannelEvent.Disconnected.class, 1);

                assertThat(refused.cause()).startsWith("handshake failed: ").contains("certification path");
                assertThat(events.count(ChannelEvent.Joined.class)).isZero();
                assertThat(events.count(ChannelEvent.Failed.class)).isZero();
            }
            handshakes.interrupt();
        }
    }

    private static SSLServerSocket tlsServer(Path keystore) throws Exception {
        var keys = KeyStore.getInstance("PKCS12");
        try (var in = new FileInputStream(keystore.toFile())) {
            keys.load(in, PASSWORD);
        }
        var keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        var tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);
        return (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    /** Completes (or fails) the server side of each handshake; an upgrade request never arrives. */
    private static void serveHandshakes(SSLServerSocket server) {
        while (!server.isClosed()) {
            try (var socket = (SSLSocket) server.accept()) {
                socket.setSoTimeout(2000);
                socket.startHandshake();
                assertThat(socket.getInputStream().read()).as("no request after a refused handshake").isNegative();
            } catch (java.io.IOException expected) {
                // the client aborts the handshake
            }
        }
    }
}
