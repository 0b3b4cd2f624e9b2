package dev.zonewire.benchmarks.relay;

import dev.zonewire.relay.Forward;
import dev.zonewire.relay.RelayServer;
import dev.zonewire.relay.RelayServerConfig;
import dev.zonewire.relay.Transmit;
import dev.zonewire.stun.ChannelData;
import dev.zonewire.stun.MessageProtection;
import dev.zonewire.stun.RelayCredentials;
import dev.zonewire.stun.StampSecret;
import dev.zonewire.stun.StunAttribute;
import dev.zonewire.stun.StunDecodeResult;
import dev.zonewire.stun.StunDecoder;
import dev.zonewire.stun.StunEncoder;
import dev.zonewire.stun.StunErrorCode;
import dev.zonewire.stun.StunMessage;
import dev.zonewire.stun.StunMethod;
import dev.zonewire.stun.TransactionId;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The relay's sans-IO server on its ChannelData path, both ways: a 100-byte ChannelData datagram
 * from a client on a bound channel (client to peer), and a 100-byte datagram from that channel's
 * peer on the allocation's port (peer to client). One operation is one datagram; the server
 * decides where it goes (the driver's sending is not part of it). With {@code allocations =
 * 10000} each operation belongs to the next of 10 000 allocations, so the lookups miss the CPU
 * caches as they would on a busy relay.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RelayServerBenchmark {
    private static final int PAYLOAD = 100;
    private static final int CHANNEL = 0x4000;

    @Param({"1", "10000"})
    int allocations;

    private RelayServer server;
    private InetSocketAddress[] clients;
    private InetSocketAddress[] peers;
    private int[] ports;
    private ByteBuffer channelData;
    private ByteBuffer peerData;
    private long now;
    private int next;

    @Setup(Level.Trial)
    public void bindChannels() throws UnknownHostException {
        Inet4Address publicIp = (Inet4Address) InetAddress.getByName("203.0.113.1");
        StampSecret secret = StampSecret.generate(new SplittableRandom(1));
        server = new RelayServer(RelayServerConfig.of(publicIp, null), secret, new SplittableRandom(2));
        RelayCredentials.Issued credentials = RelayCredentials.issue(secret, Instant.now().plus(Duration.ofDays(1)),
                new Random(3));
        now = System.nanoTime();
        clients = new InetSocketAddress[allocations];
        peers = new InetSocketAddress[allocations];
        ports = new int[allocations];
        Client client = new Client(credentials);
        for (int i = 0; i < allocations; i++) {
            clients[i] = new InetSocketAddress(InetAddress.getByAddress(new byte[]{10, 1, (byte) (i >> 8), (byte) i}), 40000);
            peers[i] = new InetSocketAddress(InetAddress.getByAddress(new byte[]{10, 2, (byte) (i >> 8), (byte) i}), 50000);
            StunMessage allocated = client.request(clients[i], StunMethod.ALLOCATE,
                    new StunAttribute.RequestedTransport(StunAttribute.RequestedTransport.UDP));
            ports[i] = allocated.first(StunAttribute.XorRelayedAddress.class).orElseThrow().address().getPort();
            client.request(clients[i], StunMethod.CHANNEL_BIND, new StunAttribute.XorPeerAddress(peers[i]),
                    new StunAttribute.ChannelNumber(CHANNEL));
        }
        if (server.boundChannelCount() != allocations) {
            throw new IllegalStateException("only " + server.boundChannelCount() + " channels bound");
        }
        channelData = ByteBuffer.allocateDirect(ChannelData.HEADER_LENGTH + PAYLOAD);
        channelData.put(ChannelData.encode(CHANNEL, new byte[PAYLOAD], false)).flip();
        peerData = ByteBuffer.allocateDirect(ChannelData.HEADER_LENGTH + PAYLOAD);
        peerData.position(ChannelData.HEADER_LENGTH).mark();
    }

    @Benchmark
    public int clientToPeer() {
        int i = nextAllocation();
        Forward forward = server.handleClientInput(channelData.rewind(), clients[i], now, 0);
        return forward.sourcePort() + forward.payloadLength();
    }

    @Benchmark
    public int peerToClient() {
        int i = nextAllocation();
        Forward forward = server.handlePeerInput(peerData.reset(), peers[i], ports[i], now);
        return forward.channel() + forward.payloadLength();
    }

    private int nextAllocation() {
        int i = next;
        next = i + 1 == allocations ? 0 : i + 1;
        return i;
    }

    /** Just enough of a TURN client to make allocations and bind channels through the server's front door. */
    private final class Client {
        private final RelayCredentials.Issued credentials;
        private final Random random = new Random(4);
        private String nonce = "";

        Client(RelayCredentials.Issued credentials) {
            this.credentials = credentials;
        }

        /** Sends a signed request, fetching a fresh nonce when the server asks for one, and returns the success. */
        StunMessage request(InetSocketAddress from, int method, StunAttribute... attributes) {
            for (int attempt = 0; attempt < 3; attempt++) {
                StunMessage.Builder request = StunMessage.request(method, TransactionId.random(random));
                for (StunAttribute attribute : attributes) {
                    request.add(attribute);
                }
                request.add(new StunAttribute.Username(credentials.username().toString()))
                        .add(new StunAttribute.Realm(RelayCredentials.REALM))
                        .add(new StunAttribute.Nonce(nonce));
                byte[] datagram = StunEncoder.encode(request.build(), MessageProtection.integrity(credentials.key()));
                server.handleClientInput(ByteBuffer.wrap(datagram), from, now, System.currentTimeMillis());
                while (server.pollEvent() != null) {
                    // the allocation's socket would be opened here
                }
                Transmit transmit = server.pollTransmit();
                StunMessage response = ((StunDecodeResult.Decoded) StunDecoder.decode(transmit.payload())).received().message();
                int code = response.first(StunAttribute.ErrorCode.class).map(StunAttribute.ErrorCode::code).orElse(0);
                if (code == 0) {
                    return response;
                }
                if (code != StunErrorCode.UNAUTHORIZED && code != StunErrorCode.STALE_NONCE) {
                    throw new IllegalStateException(StunMethod.name(method) + " failed with " + code);
                }
                nonce = response.first(StunAttribute.Nonce.class).orElseThrow().value();
            }
            throw new IllegalStateException(StunMethod.name(method) + " kept asking for a nonce");
        }
    }
}
