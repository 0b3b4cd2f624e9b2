package dev.zonewire.wireguard.linux;

import dev.zonewire.platform.linux.NetworkNamespace;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends pseudo-random bytes over one TCP connection from one namespace to another and hashes both
 * ends: what arrived is what left exactly when the SHA-256 digests match.
 */
final class TcpTransfer {
    record Result(long bytesSent, long bytesReceived, String sentDigest, String receivedDigest, Duration elapsed) {
        double megabitsPerSecond() {
            return bytesReceived * 8 / 1e6 / (elapsed.toNanos() / 1e9);
        }
    }

    private TcpTransfer() {
    }

    static Result run(String fromNamespace, String toNamespace, InetAddress to, long bytes, Duration timeout)
            throws Exception {
        ServerSocketChannel server = NetworkNamespace.call(toNamespace,
                () -> ServerSocketChannel.open().bind(new InetSocketAddress(to, 0)));
        try (server) {
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            CompletableFuture<String[]> receiver = CompletableFuture.supplyAsync(() -> receive(server));
            SocketChannel client = NetworkNamespace.call(fromNamespace, SocketChannel::open);
            long start = System.nanoTime();
            String sent;
            try (client) {
                client.connect(new InetSocketAddress(to, port));
                sent = send(client, bytes);
            }
            String[] received = receiver.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Result(bytes, Long.parseLong(received[1]), sent, received[0],
                    Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private static String send(SocketChannel channel, long bytes) throws IOException {
        MessageDigest digest = sha256();
        SplittableRandom random = new SplittableRandom(bytes);
        byte[] chunk = new byte[64 * 1024];
        long left = bytes;
        while (left > 0) {
            int length = (int) Math.min(chunk.length, left);
            random.nextBytes(chunk);
            digest.update(chunk, 0, length);
            ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, length);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            left -= length;
        }
        channel.shutdownOutput();
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String[] receive(ServerSocketChannel server) {
        try (SocketChannel channel = server.accept()) {
            MessageDigest digest = sha256();
            ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
            long total = 0;
            int read;
            while ((read = channel.read(buffer.clear())) >= 0) {
                digest.update(buffer.array(), 0, read);
                total += read;
            }
            return new String[] {HexFormat.of().formatHex(digest.digest()), Long.toString(total)};
        } catch (IOException e) {
            throw new IllegalStateException("receiving failed", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
