package dev.zonewire.tunnel.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.ippacket.IpPacket;
import dev.zonewire.tunnel.TestPackets;
import dev.zonewire.tunnel.dns.ProxyIpAllocator;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** When the proxy IPs of a name go to another name, the client forgets the DNS NAT it asked the gateway for. */
class RecycledNamesTest {
    private final ClientState client = ConnectedClient.create(new ProxyIpAllocator(1, 0));

    @Test
    void aRecycledNameLeavesNoNatStateBehind() throws Exception {
        String proxyIp = resolve("a.corp.test.");
        send(TestPackets.tcp("100.64.0.1", 40000, proxyIp, 443));
        assertThat(client.tableSizes()).containsEntry("dnsNatNames", 1);

        String next = resolve("b.corp.test.");

        assertThat(next).isEqualTo(proxyIp);
        assertThat(client.tableSizes()).containsEntry("dnsNatNames", 0);
    }

    private String resolve(String name) throws Exception {
        String sentinel = client.tunConfig().dnsBySentinel().keySet().iterator().next().getHostAddress();
        byte[] query = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN)).toWire();
        send(TestPackets.udp("100.64.0.1", 5353, sentinel, 53, query));
        IpPacket answer = TestPackets.of(client.pollTunPacket());
        byte[] payload = Arrays.copyOfRange(TestPackets.bytes(answer), answer.udp().payloadIndex() - answer.offset(),
                answer.udp().payloadIndex() - answer.offset() + answer.udp().payloadLength());
        return ((ARecord) new Message(payload).getSection(Section.ANSWER).getFirst()).getAddress().getHostAddress();
    }

    private void send(IpPacket packet) {
        byte[] bytes = TestPackets.bytes(packet);
        ByteBuffer buffer = ByteBuffer.allocate(ClientState.TUN_HEADROOM + bytes.length + ClientState.TUN_TAILROOM);
        buffer.put(ClientState.TUN_HEADROOM, bytes).position(ClientState.TUN_HEADROOM).limit(ClientState.TUN_HEADROOM + bytes.length);
        client.handleTunPacket(buffer, 0);
    }
}
