package dev.zonewire.tunnel.dns.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.ippacket.IpAddress;
import dev.zonewire.ippacket.IpPacket;
import dev.zonewire.tunnel.TestPackets;
import dev.zonewire.tunnel.dns.DnsQuery;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The TCP client and server talk over a path that loses, duplicates and reorders segments: every query is
 * either answered with exactly the server's answer or reported failed, nothing throws, and both sides
 * forget every connection in the end.
 */
class TcpDnsRoundTripProperties {
    private static final InetSocketAddress SERVER = new InetSocketAddress(InetAddress.ofLiteral("100.100.111.1"), 53);
    private static final IpAddress CLIENT = IpAddress.parse("100.64.0.1");
    private static final long MILLI = 1_000_000L;

    @Property(tries = 200)
    void everyQueryIsAnsweredExactlyOrReportedFailed(@ForAll long seed, @ForAll @IntRange(max = 30) int lossPercent,
                                                     @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 1, max = 3000) Integer> sizes) {
        SplittableRandom random = new SplittableRandom(seed);
        TcpDnsServer server = new TcpDnsServer(random.split());
        TcpDnsClient client = new TcpDnsClient(random.split(), 100);
        server.setListenAddresses(Set.of(SERVER), 0);
        List<byte[]> sent = new ArrayList<>();
        long now = 0;
        for (int i = 0; i < sizes.size(); i++) {
            byte[] message = new byte[Math.min(sizes.get(i), TcpDnsServer.MAX_QUERY)];
            random.nextBytes(message);
            message[0] = (byte) i;
            sent.add(message);
            client.query(CLIENT, SERVER, i, message, now);
        }
        List<TcpDnsClient.Result> results = new ArrayList<>();
        List<byte[]> toServer = new ArrayList<>();
        List<byte[]> toClient = new ArrayList<>();
        for (int step = 0; step < 2000 && now < 60_000 * MILLI; step++) {
            collect(client::pollPacket, toServer, random, lossPercent);
            collect(server::pollPacket, toClient, random, lossPercent);
            long at = now;
            deliver(toServer, packet -> {
                if (server.accepts(packet)) {
                    server.handle(packet, at);
                }
            });
            deliver(toClient, packet -> {
                if (client.accepts(packet)) {
                    client.handle(packet, at);
                }
            });
            for (DnsQuery query = server.pollQuery(); query != null; query = server.pollQuery()) {
                byte[] answer = answerTo(query.message());
                server.send(query.source(), query.destination(), answer, now);
            }
            for (TcpDnsClient.Result result = client.pollResult(); result != null; result = client.pollResult()) {
                results.add(result);
            }
            now += 50 * MILLI;
            client.handleTimeout(now);
            server.handleTimeout(now);
        }

        assertThat(results).hasSize(sent.size());
        for (TcpDnsClient.Result result : results) {
            if (!result.failed()) {
                assertThat(result.response()).isEqualTo(answerTo(sent.get(result.id())));
            }
        }
        if (lossPercent == 0) {
            assertThat(results).noneMatch(TcpDnsClient.Result::failed);
        }
        assertThat(client.inFlight()).isZero();
        assertThat(server.connectionCount()).isZero();
    }

    private static byte[] answerTo(byte[] query) {
        byte[] answer = Arrays.copyOf(query, query.length + 3);
        answer[query.length] = 'a';
        return answer;
    }

    private static void collect(java.util.function.Supplier<byte[]> source, List<byte[]> into, SplittableRandom random, int lossPercent) {
        for (byte[] packet = source.get(); packet != null; packet = source.get()) {
            if (random.nextInt(100) < lossPercent) {
                continue;
            }
            into.add(random.nextInt(10) == 0 ? Math.max(0, into.size() - 1) : into.size(), packet);
            if (random.nextInt(20) == 0) {
                into.add(packet);
            }
        }
    }

    private static void deliver(List<byte[]> packets, java.util.function.Consumer<IpPacket> to) {
        List<byte[]> batch = new ArrayList<>(packets);
        packets.clear();
        batch.forEach(bytes -> to.accept(TestPackets.of(bytes)));
    }
}
