package dev.zonewire.relay;

import java.net.InetSocketAddress;

/**
 * Where to relay a datagram. The server reuses one instance, so read it before the next call
 * into the server; relaying this way allocates nothing per packet.
 */
public final class Forward {
    InetSocketAddress destination;
    byte[] destinationAddress;
    int sourcePort;
    int channel;
    int payloadOffset;
    int payloadLength;

    /** The peer (for client data) or the client (for peer data). */
    public InetSocketAddress destination() {
        return destination;
    }

    /** The destination's IP address (4 or 16 bytes), for drivers that write addresses themselves; do not modify it. */
    public byte[] destinationAddress() {
        return destinationAddress;
    }

    public int destinationPort() {
        return destination.getPort();
    }

    /** The local port to send from: the allocation port towards a peer, 0 (the listen port) towards a client. */
    public int sourcePort() {
        return sourcePort;
    }

    /** Towards a client: the channel number to put in the ChannelData header. */
    public int channel() {
        return channel;
    }

    /** Where the payload starts in the datagram buffer that was handed in. */
    public int payloadOffset() {
        return payloadOffset;
    }

    public int payloadLength() {
        return payloadLength;
    }

    Forward set(InetSocketAddress destination, byte[] destinationAddress, int sourcePort, int channel,
                int payloadOffset, int payloadLength) {
        this.destination = destination;
        this.destinationAddress = destinationAddress;
        this.sourcePort = sourcePort;
        this.channel = channel;
        this.payloadOffset = payloadOffset;
        this.payloadLength = payloadLength;
        return this;
    }
}
