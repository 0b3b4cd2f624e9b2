package dev.zonewire.phoenix.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.zonewire.phoenix.Message;
import java.net.SocketAddress;

/** One joined topic on one socket: Phoenix's channel process, seen from a {@link ChannelHandler}. */
public final class Channel<I> {
    /** Why a channel ended. */
    public enum Termination {
        /** The client sent {@code phx_leave}. */
        LEFT,
        /** The server closed it with {@link #close()}; the client got {@code phx_close}. */
        CLOSED,
        /** The client joined the same topic again; the old channel got {@code phx_close}. */
        REJOINED,
        /** Its handler threw; the client got {@code phx_error}. */
        CRASHED,
        /** The WebSocket closed, timed out or was dropped as a slow consumer. */
        SOCKET_CLOSED
    }

    private final SocketConnection<I> socket;
    private final String topic;
    private final JsonNode joinRef;
    private volatile boolean open = true;

    Channel(SocketConnection<I> socket, String topic, JsonNode joinRef) {
        this.socket = socket;
        this.topic = topic;
        this.joinRef = joinRef;
    }

    public String topic() {
        return topic;
    }

    /** The identity the {@link Authenticator} gave the socket. */
    public I identity() {
        return socket.identity();
    }

    /** A server-unique name of the socket, for logs. */
    public String socketId() {
        return socket.id();
    }

    public SocketAddress remoteAddress() {
        return socket.remoteAddress();
    }

    public boolean isOpen() {
        return open;
    }

    /**
     * Pushes {@code event} to this client. Returns false if the channel has ended or the socket's
     * outgoing queue is full, in which case the socket is dropped as a slow consumer.
     */
    public boolean push(String event, JsonNode payload) {
        return open && socket.send(new Message(joinRef, null, topic, event, payload));
    }

    /** Ends the channel from the server side, as Phoenix's {@code {:stop, :shutdown, socket}} does. */
    public void close() {
        socket.terminate(this, Termination.CLOSED);
    }

    SocketConnection<I> socket() {
        return socket;
    }

    JsonNode joinRef() {
        return joinRef;
    }

    /** Marks the channel ended; true only for the first caller. */
    boolean markEnded() {
        synchronized (this) {
            if (!open) {
                return false;
            }
            open = false;
            return true;
        }
    }

    @Override
    public String toString() {
        return "Channel[" + topic + " on " + socket.id() + "]";
    }
}
