package dev.zonewire.tunnel.dns.tcp;

import dev.zonewire.ippacket.IpAddress;
import dev.zonewire.ippacket.IpPacket;
import dev.zonewire.ippacket.PacketBuilder;
import dev.zonewire.ippacket.TcpHeader;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * One TCP connection carrying length-prefixed DNS messages (RFC 7766), sans-IO: just enough of RFC 9293 for
 * a path that may lose, duplicate or reorder segments. The three-way handshake (either side), in-order data
 * both ways with cumulative acknowledgements, retransmission on timeout with exponential back-off, orderly
 * close and reset. There is no window scaling, no SACK and no out-of-order queue: a segment beyond the next
 * expected byte is dropped and the next expected byte acknowledged again, so the peer retransmits. Segments
 * to send go to the {@code out} queue as whole IP packets.
 */
final class TcpConnection {
    enum State {
        SYN_SENT,
        SYN_RECEIVED,
        ESTABLISHED,
        /** Closed or reset; kept a moment to acknowledge a retransmitted FIN. */
        CLOSED
    }

    static final long INITIAL_RETRANSMIT_NANOS = 1_000_000_000L;
    static final int MAX_RETRANSMISSIONS = 5;
    static final long LINGER_NANOS = 2_000_000_000L;
    private static final int WINDOW = 65535;
    private static final int MSS_OPTION = 2;

    final IpAddress local;
    final int localPort;
    final IpAddress remote;
    final int remotePort;
    private final int maxMessage;
    private State state;
    private boolean reset;
    private int sendUnacknowledged;
    private int sendNext;
    private int receiveNext;
    /** Bytes from {@link #sendUnacknowledged} on: sent but unacknowledged, then not yet sent. */
    private byte[] sendBuffer = new byte[0];
    private int sendLength;
    private boolean finQueued;
    private boolean finSent;
    private boolean finAcknowledged;
    private boolean peerFinished;
    private int peerMss;
    private int peerWindow = WINDOW;
    private byte[] received = new byte[0];
    private int receivedLength;
    private long retransmitAt = Long.MAX_VALUE;
    private long retransmitInterval = INITIAL_RETRANSMIT_NANOS;
    private int retransmissions;
    private long closedAt;
    long lastActivityNanos;

    private TcpConnection(IpAddress local, int localPort, IpAddress remote, int remotePort, int initialSequence, int maxMessage, long now) {
        this.local = local;
        this.localPort = localPort;
        this.remote = remote;
        this.remotePort = remotePort;
        this.maxMessage = maxMessage;
        this.sendUnacknowledged = initialSequence;
        this.sendNext = initialSequence;
        this.peerMss = local.version() == 4 ? 536 : 1220;
        this.lastActivityNanos = now;
    }

    /** Opens a connection actively: sends the SYN. */
    static TcpConnection connect(IpAddress local, int localPort, IpAddress remote, int remotePort, int initialSequence, int maxMessage,
                                 long now, ArrayDeque<byte[]> out) {
        TcpConnection connection = new TcpConnection(local, localPort, remote, remotePort, initialSequence, maxMessage, now);
        connection.state = State.SYN_SENT;
        connection.sendSyn(now, out);
        return connection;
    }

    /** Answers a SYN (a valid TCP packet with SYN and without ACK) with a SYN/ACK. */
    static TcpConnection accept(IpPacket syn, int initialSequence, int maxMessage, long now, ArrayDeque<byte[]> out) {
        TcpHeader tcp = syn.tcp();
        TcpConnection connection = new TcpConnection(syn.destination(), tcp.destinationPort(), syn.source(), tcp.sourcePort(),
                initialSequence, maxMessage, now);
        connection.state = State.SYN_RECEIVED;
        connection.receiveNext = (int) tcp.sequenceNumber() + 1;
        connection.peerWindow = tcp.window();
        connection.readMss(syn);
        connection.sendSyn(now, out);
        return connection;
    }

    State state() {
        return state;
    }

    /** True once the peer reset the connection or it gave up retransmitting. */
    boolean failed() {
        return reset;
    }

    boolean isOpen() {
        return state != State.CLOSED;
    }

    /** The peer sent its FIN: it will send nothing more. */
    boolean peerFinished() {
        return peerFinished;
    }

    /** Everything queued was sent and acknowledged. */
    boolean allAcknowledged() {
        return sendLength == 0 && sendNext == sendUnacknowledged;
    }

    /** Closed and lingered long enough to be forgotten. */
    boolean isFinished(long now) {
        return state == State.CLOSED && now - closedAt >= LINGER_NANOS;
    }

    /** A segment of this connection (addresses and ports already matched). */
    void handle(IpPacket packet, long now, ArrayDeque<byte[]> out) {
        TcpHeader tcp = packet.tcp();
        int flags = tcp.flags();
        int sequence = (int) tcp.sequenceNumber();
        int acknowledgment = (int) tcp.acknowledgmentNumber();
        lastActivityNanos = now;
        if ((flags & TcpHeader.RST) != 0) {
            boolean plausible = state == State.SYN_SENT ? (flags & TcpHeader.ACK) != 0 && acknowledgment == sendNext : sequence == receiveNext;
            if (plausible && state != State.CLOSED) {
                reset = true;
                close(now);
            }
            return;
        }
        switch (state) {
            case SYN_SENT -> {
                if ((flags & (TcpHeader.SYN | TcpHeader.ACK)) != (TcpHeader.SYN | TcpHeader.ACK) || acknowledgment != sendNext) {
                    return;
                }
                receiveNext = sequence + 1;
                readMss(packet);
                state = State.ESTABLISHED;
                sendUnacknowledged = acknowledgment;
                peerWindow = tcp.window();
                retransmitAt = Long.MAX_VALUE;
                retransmissions = 0;
                if (!transmit(now, out)) {
                    sendSegment(TcpHeader.ACK, sendNext, new byte[0], 0, 0, out);
                }
            }
            case SYN_RECEIVED -> {
                if ((flags & TcpHeader.SYN) != 0) {
                    // Our SYN/ACK was lost: the peer sends its SYN again.
                    sendSegment(TcpHeader.SYN | TcpHeader.ACK, sendUnacknowledged, new byte[0], 0, 0, out);
                    return;
                }
                if ((flags & TcpHeader.ACK) == 0 || acknowledgment != sendUnacknowledged + 1) {
                    return;
                }
                state = State.ESTABLISHED;
                sendNext = acknowledgment;
                sendUnacknowledged = acknowledgment;
                retransmitAt = Long.MAX_VALUE;
                retransmissions = 0;
                established(packet, sequence, acknowledgment, flags, now, out);
            }
            case ESTABLISHED -> established(packet, sequence, acknowledgment, flags, now, out);
            case CLOSED -> {
                if ((flags & TcpHeader.FIN) != 0 && !reset) {
                    sendSegment(TcpHeader.ACK, sendNext, new byte[0], 0, 0, out);
                }
            }
        }
    }

    /** Queues one DNS message (its 2-byte length first) and sends what the peer's window allows. False if it does not fit. */
    boolean writeMessage(byte[] message, long now, ArrayDeque<byte[]> out) {
        if (state == State.CLOSED || finQueued || message.length > 0xFFFF || sendLength + 2 + message.length > 2 * (maxMessage + 2)) {
            return false;
        }
        ensureSendCapacity(sendLength + 2 + message.length);
        sendBuffer[sendLength] = (byte) (message.length >>> 8);
        sendBuffer[sendLength + 1] = (byte) message.length;
        System.arraycopy(message, 0, sendBuffer, sendLength + 2, message.length);
        sendLength += 2 + message.length;
        if (state == State.ESTABLISHED) {
            transmit(now, out);
        }
        return true;
    }

    /**
     * The next whole message the peer sent, or null. A length beyond the limit fails the connection (it is
     * reset), since the message could never be taken.
     */
    byte[] readMessage(ArrayDeque<byte[]> out, long now) {
        if (receivedLength < 2) {
            return null;
        }
        int length = (received[0] & 0xFF) << 8 | received[1] & 0xFF;
        if (length > maxMessage) {
            abort(now, out);
            return null;
        }
        if (receivedLength < 2 + length) {
            return null;
        }
        byte[] message = Arrays.copyOfRange(received, 2, 2 + length);
        System.arraycopy(received, 2 + length, received, 0, receivedLength - 2 - length);
        receivedLength -= 2 + length;
        return message;
    }

    /** Sends a FIN once everything queued has been sent. */
    void finish(long now, ArrayDeque<byte[]> out) {
        finQueued = true;
        if (state == State.ESTABLISHED) {
            transmit(now, out);
        }
    }

    /** Resets the connection: an RST to the peer and no more traffic. */
    void abort(long now, ArrayDeque<byte[]> out) {
        if (state == State.CLOSED) {
            return;
        }
        if (state != State.SYN_SENT) {
            sendSegment(TcpHeader.RST | TcpHeader.ACK, sendNext, new byte[0], 0, 0, out);
        }
        reset = true;
        close(now);
    }

    void handleTimeout(long now, ArrayDeque<byte[]> out) {
        if (now - retransmitAt < 0 || state == State.CLOSED) {
            return;
        }
        if (++retransmissions > MAX_RETRANSMISSIONS) {
            abort(now, out);
            return;
        }
        retransmitInterval *= 2;
        retransmitAt = now + retransmitInterval;
        switch (state) {
            case SYN_SENT -> sendSegment(TcpHeader.SYN, sendUnacknowledged, new byte[0], 0, 0, out);
            case SYN_RECEIVED -> sendSegment(TcpHeader.SYN | TcpHeader.ACK, sendUnacknowledged, new byte[0], 0, 0, out);
            default -> {
                // Go back to the first unacknowledged byte and send again from there.
                sendNext = sendUnacknowledged;
                finSent = false;
                transmit(now, out);
            }
        }
    }

    long pollTimeout() {
        return state == State.CLOSED ? closedAt + LINGER_NANOS : retransmitAt;
    }

    private void established(IpPacket packet, int sequence, int acknowledgment, int flags, long now, ArrayDeque<byte[]> out) {
        TcpHeader tcp = packet.tcp();
        if ((flags & TcpHeader.SYN) != 0) {
            // A retransmitted SYN/ACK: our ACK was lost.
            sendSegment(TcpHeader.ACK, sendNext, new byte[0], 0, 0, out);
            return;
        }
        if ((flags & TcpHeader.ACK) != 0) {
            acknowledge(acknowledgment, tcp.window(), now);
        }
        int length = tcp.payloadLength();
        boolean needsAcknowledgment = false;
        if (length > 0 || (flags & TcpHeader.FIN) != 0) {
            needsAcknowledgment = true;
            if (sequence == receiveNext && !peerFinished) {
                if (receivedLength + length > maxMessage + 2 + maxMessage + 2) {
                    abort(now, out);
                    return;
                }
                ensureReceiveCapacity(receivedLength + length);
                packet.buffer().get(tcp.payloadIndex(), received, receivedLength, length);
                receivedLength += length;
                receiveNext += length;
                if ((flags & TcpHeader.FIN) != 0) {
                    receiveNext++;
                    peerFinished = true;
                }
            }
        }
        boolean sentData = transmit(now, out);
        if (needsAcknowledgment && !sentData) {
            sendSegment(TcpHeader.ACK, sendNext, new byte[0], 0, 0, out);
        }
        if (finAcknowledged && peerFinished) {
            close(now);
        }
    }

    /** Takes an acknowledgment of our data (and FIN) into account. */
    private void acknowledge(int acknowledgment, int window, long now) {
        peerWindow = window;
        int acknowledged = acknowledgment - sendUnacknowledged;
        int outstanding = sendNext - sendUnacknowledged;
        if (acknowledged <= 0 || acknowledged > outstanding) {
            return;
        }
        int dataAcknowledged = Math.min(acknowledged, sendLength);
        System.arraycopy(sendBuffer, dataAcknowledged, sendBuffer, 0, sendLength - dataAcknowledged);
        sendLength -= dataAcknowledged;
        sendUnacknowledged = acknowledgment;
        if (finSent && acknowledgment == sendNext && sendLength == 0) {
            finAcknowledged = true;
        }
        retransmissions = 0;
        retransmitInterval = INITIAL_RETRANSMIT_NANOS;
        retransmitAt = sendNext == sendUnacknowledged ? Long.MAX_VALUE : now + retransmitInterval;
    }

    /** Sends unsent data within the peer's window, then a FIN if one is due. True if anything went out. */
    private boolean transmit(long now, ArrayDeque<byte[]> out) {
        boolean sent = false;
        while (true) {
            int inFlight = sendNext - sendUnacknowledged;
            int unsent = sendLength - inFlight;
            int room = Math.min(peerWindow - inFlight, peerMss);
            if (unsent <= 0 || room <= 0) {
                break;
            }
            int size = Math.min(unsent, room);
            sendSegment(TcpHeader.ACK | TcpHeader.PSH, sendNext, sendBuffer, inFlight, size, out);
            sendNext += size;
            sent = true;
        }
        if (finQueued && !finSent && sendNext - sendUnacknowledged == sendLength) {
            sendSegment(TcpHeader.FIN | TcpHeader.ACK, sendNext, new byte[0], 0, 0, out);
            sendNext++;
            finSent = true;
            sent = true;
        }
        if (sent && retransmitAt == Long.MAX_VALUE) {
            retransmitAt = now + retransmitInterval;
        }
        return sent;
    }

    private void sendSyn(long now, ArrayDeque<byte[]> out) {
        int flags = state == State.SYN_SENT ? TcpHeader.SYN : TcpHeader.SYN | TcpHeader.ACK;
        sendSegment(flags, sendUnacknowledged, new byte[0], 0, 0, out);
        sendNext = sendUnacknowledged + 1;
        retransmitAt = now + retransmitInterval;
    }

    private void sendSegment(int flags, int sequence, byte[] data, int offset, int length, ArrayDeque<byte[]> out) {
        int acknowledgment = (flags & TcpHeader.ACK) != 0 ? receiveNext : 0;
        ByteBuffer segment = ByteBuffer.allocate((local.version() == 4 ? 20 : 40) + 20 + length);
        PacketBuilder.tcp(segment, 0, local, remote, localPort, remotePort, sequence & 0xFFFF_FFFFL, acknowledgment & 0xFFFF_FFFFL,
                flags, WINDOW, ByteBuffer.wrap(data, offset, length));
        out.add(segment.array());
    }

    private void close(long now) {
        state = State.CLOSED;
        closedAt = now;
        retransmitAt = Long.MAX_VALUE;
    }

    /** Our segments must fit the tunnel's packets whatever the peer announces. */
    private void readMss(IpPacket packet) {
        TcpHeader tcp = packet.tcp();
        ByteBuffer buffer = packet.buffer();
        int index = packet.payloadIndex() + 20;
        int end = packet.payloadIndex() + tcp.headerLength();
        while (index < end) {
            int kind = buffer.get(index) & 0xFF;
            if (kind == 0) {
                break;
            }
            if (kind == 1) {
                index++;
                continue;
            }
            int length = index + 1 < end ? buffer.get(index + 1) & 0xFF : 0;
            if (length < 2 || index + length > end) {
                break;
            }
            if (kind == MSS_OPTION && length == 4) {
                int announced = buffer.getShort(index + 2) & 0xFFFF;
                int ceiling = IpPacket.TUNNEL_MTU - (local.version() == 4 ? 40 : 60);
                peerMss = Math.max(64, Math.min(announced, ceiling));
            }
            index += length;
        }
    }

    private void ensureSendCapacity(int needed) {
        if (sendBuffer.length < needed) {
            sendBuffer = Arrays.copyOf(sendBuffer, Math.max(needed, sendBuffer.length * 2));
        }
    }

    private void ensureReceiveCapacity(int needed) {
        if (received.length < needed) {
            received = Arrays.copyOf(received, Math.max(needed, Math.max(512, received.length * 2)));
        }
    }

}
