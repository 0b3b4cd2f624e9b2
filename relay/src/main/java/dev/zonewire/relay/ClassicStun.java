package dev.zonewire.relay;

import dev.zonewire.stun.StunEncoder;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Binding requests from RFC 3489 clients, which have no magic cookie and a 128-bit transaction
 * id (RFC 8489 section 12 lets a server answer them). The answer carries MAPPED-ADDRESS. The
 * relay has no second address, so requests asking for a reply from another address or port
 * (CHANGE-REQUEST with flags) are not answered: silence is what such a client expects from a
 * server that cannot change its address.
 */
final class ClassicStun {
    private static final int CHANGE_REQUEST = 0x0003;
    private static final int MAPPED_ADDRESS = 0x0001;

    enum Kind { NOT_CLASSIC, ANSWERABLE, CHANGE_REQUESTED }

    private ClassicStun() {
    }

    static Kind classify(ByteBuffer datagram) {
        int p = datagram.position();
        int length = datagram.remaining();
        if (length < 20 || datagram.getShort(p) != 0x0001 || datagram.getInt(p + 4) == StunEncoder.MAGIC_COOKIE) {
            return Kind.NOT_CLASSIC;
        }
        int bodyLength = datagram.getShort(p + 2) & 0xFFFF;
        if (bodyLength % 4 != 0 || 20 + bodyLength != length) {
            return Kind.NOT_CLASSIC;
        }
        for (int offset = p + 20; offset + 4 <= p + length; ) {
            int type = datagram.getShort(offset) & 0xFFFF;
            int valueLength = datagram.getShort(offset + 2) & 0xFFFF;
            if (offset + 4 + valueLength > p + length) {
                return Kind.NOT_CLASSIC;
            }
            if (type == CHANGE_REQUEST && valueLength == 4 && (datagram.getInt(offset + 4) & 0x06) != 0) {
                return Kind.CHANGE_REQUESTED;
            }
            offset += 4 + ((valueLength + 3) & ~3);
        }
        return Kind.ANSWERABLE;
    }

    /** The Binding success response with MAPPED-ADDRESS = the request's source. */
    static byte[] answer(ByteBuffer request, InetSocketAddress client) {
        byte[] ip = client.getAddress().getAddress();
        ByteBuffer response = ByteBuffer.allocate(20 + 4 + 4 + ip.length);
        response.putShort((short) 0x0101).putShort((short) (8 + ip.length));
        response.put(response.position(), request, request.position() + 4, 16).position(20);
        response.putShort((short) MAPPED_ADDRESS).putShort((short) (4 + ip.length));
        response.put((byte) 0).put((byte) (ip.length == 4 ? 1 : 2)).putShort((short) client.getPort()).put(ip);
        return response.array();
    }
}
