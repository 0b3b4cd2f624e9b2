package dev.zonewire.phoenix.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.zonewire.phoenix.Decoded;
import dev.zonewire.phoenix.Message;
import dev.zonewire.phoenix.Serializer;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's WebSocket: Phoenix's socket process. It decodes frames, answers heartbeats, routes
 * joins, leaves and pushes to the topic handlers, and writes replies and pushes through a bounded
 * outgoing queue. Nothing a client sends can throw out of it.
 *
 * <p>Internal: public only because Jetty calls its listener methods through method handles.
 */
public final class SocketConnection<I> implements Session.Listener.AutoDemanding {
    private static final Logger LOG = LoggerFactory.getLogger(SocketConnection.class);
    private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);
    /**
     * Topics and events are short names, refs short counters. The server echoes them in replies and
     * names them in log lines, so longer ones (or ones with control characters) are malformed.
     */
    static final int MAX_NAME_CHARS = 255;
    static final int MAX_REF_CHARS = 64;

    private final ChannelServer server;
    private final EndpointConfig<I> endpoint;
    private final Serializer serializer;
    private final I identity;
    private final String id;
    private final SocketAddress remoteAddress;
    private final Map<String, Channel<I>> channels = new HashMap<>();
    private final AtomicInteger unwrittenFrames = new AtomicInteger();
    private final AtomicLong unwrittenBytes = new AtomicLong();
    private final Object sendLock = new Object();
    private volatile Session session;
    private volatile boolean closingIdle;
    private volatile boolean disconnected;
    private boolean closed;
    private volatile long lastReceivedNanos = System.nanoTime();
    private long joinWindowStart = System.nanoTime();
    private int joinsInWindow;

    SocketConnection(ChannelServer server, EndpointConfig<I> endpoint, Serializer serializer, I identity, String id, SocketAddress remoteAddress) {
        this.server = server;
        this.endpoint = endpoint;
        this.serializer = serializer;
        this.identity = identity;
        this.id = id;
        this.remoteAddress = remoteAddress;
    }

    I identity() {
        return identity;
    }

    String id() {
        return id;
    }

    SocketAddress remoteAddress() {
        return remoteAddress;
    }

    EndpointConfig<I> endpoint() {
        return endpoint;
    }

    Serializer serializer() {
        return serializer;
    }

    long lastReceivedNanos() {
        return lastReceivedNanos;
    }

    // ---- Jetty's callbacks ----

    @Override
    public void onWebSocketOpen(Session opened) {
        opened.setMaxTextMessageSize(endpoint.maxFrameBytes());
        opened.setMaxBinaryMessageSize(endpoint.maxFrameBytes());
        opened.setIdleTimeout(endpoint.idleTimeout().plus(ChannelServer.JETTY_IDLE_MARGIN));
        this.session = opened;
        lastReceivedNanos = System.nanoTime();
        server.register(this);
        LOG.debug("socket {} opened on {} from {} (vsn {})", id, endpoint.path(), remoteAddress, serializer.vsn());
    }

    @Override
    public void onWebSocketText(String frame) {
        lastReceivedNanos = System.nanoTime();
        if (disconnected) {
            return;
        }
        try {
            switch (serializer.decode(frame)) {
                case Decoded.Malformed(String reason) -> dropMalformed(reason);
                case Decoded.Ok(Message message) -> {
                    String problem = oversizedOrUnprintable(message);
                    if (problem == null) {
                        handle(message);
                    } else {
                        dropMalformed(problem);
                    }
                }
            }
        } catch (RuntimeException bug) {
            LOG.error("socket {}: failed to handle a frame", id, bug);
        }
    }

    private void dropMalformed(String reason) {
        server.stats().malformedFrames.increment();
        LOG.warn("socket {}: dropping a malformed frame: {}", id, reason);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        lastReceivedNanos = System.nanoTime();
        callback.succeed();
        server.stats().malformedFrames.increment();
        LOG.warn("socket {}: dropping a binary frame of {} bytes; only text frames are supported", id, payload.remaining());
    }

    @Override
    public void onWebSocketClose(int status, String reason, Callback callback) {
        callback.succeed();
        if (status == StatusCode.MESSAGE_TOO_LARGE) {
            server.stats().oversizedFrames.increment();
            LOG.warn("socket {} closed: a frame exceeded {} bytes", id, endpoint.maxFrameBytes());
        } else {
            LOG.debug("socket {} closed with {} {}", id, status, reason);
        }
        server.unregister(this);
        endAllChannels();
    }

    private void endAllChannels() {
        List<Channel<I>> ended;
        synchronized (this) {
            closed = true;
            ended = new ArrayList<>(channels.values());
            channels.clear();
        }
        for (Channel<I> channel : ended) {
            ended(channel, Channel.Termination.SOCKET_CLOSED);
        }
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.debug("socket {} error: {}", id, cause.toString());
    }

    // ---- sending ----

    /**
     * Writes one message. The queue of frames handed to Jetty but not yet written is bounded: a
     * client that does not read is disconnected instead of growing it.
     */
    boolean send(Message message) {
        return sendFrame(serializer.encode(message));
    }

    boolean sendFrame(String frame) {
        Session current = session;
        if (current == null || !current.isOpen()) {
            return false;
        }
        long bytes = utf8Length(frame);
        int frames = unwrittenFrames.incrementAndGet();
        long queuedBytes = unwrittenBytes.addAndGet(bytes);
        if (frames > endpoint.maxQueuedFrames() || (frames > 1 && queuedBytes > endpoint.maxQueuedBytes())) {
            written(bytes);
            server.stats().slowConsumers.increment();
            LOG.warn("socket {}: disconnecting a slow consumer with {} frames ({} bytes) unwritten", id, frames - 1, queuedBytes - bytes);
            current.disconnect();
            return false;
        }
        synchronized (sendLock) {
            current.sendText(frame, Callback.from(() -> written(bytes), failure -> written(bytes)));
        }
        return true;
    }

    private void written(long bytes) {
        unwrittenFrames.decrementAndGet();
        unwrittenBytes.addAndGet(-bytes);
    }

    /** Closes the socket at once and handles none of its frames any more: its credentials were revoked. */
    void disconnect() {
        disconnected = true;
        Session current = session;
        if (current != null) {
            LOG.info("socket {}: disconnecting on the server's request", id);
            current.close(StatusCode.NORMAL, "disconnected", Callback.NOOP);
        }
        endAllChannels();
    }

    void closeIdle() {
        Session current = session;
        if (current != null && !closingIdle) {
            closingIdle = true;
            server.stats().idleTimeouts.increment();
            LOG.info("socket {}: closing after {} s without a frame", id, endpoint.idleTimeout().toSeconds());
            current.close(StatusCode.NORMAL, "idle timeout", Callback.NOOP);
        }
    }

    void shutdown() {
        Session current = session;
        if (current != null) {
            current.close(StatusCode.SHUTDOWN, "server stopping", Callback.NOOP);
        }
    }

    // ---- handling ----

    private void handle(Message message) {
        if (Message.HEARTBEAT_TOPIC.equals(message.topic()) && Message.HEARTBEAT.equals(message.event())) {
            server.stats().heartbeats.increment();
            send(Message.reply(null, message.ref(), Message.HEARTBEAT_TOPIC, true, null));
            return;
        }
        switch (message.event()) {
            case Message.JOIN -> join(message);
            case Message.LEAVE -> leave(message);
            case Message.REPLY, Message.ERROR, Message.CLOSE -> {
                server.stats().droppedFrames.increment();
                LOG.warn("socket {}: dropping {} on '{}', which only a server sends", id, message.event(), message.topic());
            }
            default -> push(message);
        }
    }

    private void join(Message message) {
        String topic = message.topic();
        // V2 clients name the join in join_ref; V1 has none, and Phoenix then echoes null.
        JsonNode joinRef = message.joinRef();
        if (!admitJoin()) {
            server.stats().refusedJoins.increment();
            LOG.warn("socket {}: refusing a join to '{}': more than {} joins in a minute", id, topic, endpoint.maxJoinsPerMinute());
            replyError(joinRef, message, "too many joins");
            return;
        }
        var handler = endpoint.handlerFor(topic);
        if (handler.isEmpty()) {
            LOG.warn("socket {}: join to unknown topic '{}'", id, topic);
            replyError(joinRef, message, "unmatched topic");
            return;
        }
        Channel<I> previous;
        synchronized (this) {
            previous = channels.remove(topic);
        }
        if (previous != null) {
            finish(previous, Channel.Termination.REJOINED);
        }
        synchronized (this) {
            if (channels.size() >= endpoint.maxChannelsPerSocket()) {
                server.stats().refusedJoins.increment();
                LOG.warn("socket {}: refusing a join to '{}': {} channels already joined", id, topic, channels.size());
                replyError(joinRef, message, "too many channels");
                return;
            }
        }
        var channel = new Channel<>(this, topic, joinRef);
        JoinReply reply;
        try {
            reply = handler.get().join(channel, message.payload());
        } catch (RuntimeException crash) {
            LOG.error("socket {}: the join handler for '{}' failed", id, topic, crash);
            replyError(joinRef, message, "join crashed");
            return;
        }
        switch (reply) {
            case JoinReply.Ok(JsonNode response) -> {
                boolean socketGone;
                synchronized (this) {
                    socketGone = closed;
                    if (!socketGone) {
                        channels.put(topic, channel);
                        server.subscribe(channel);
                    }
                }
                if (socketGone) {
                    ended(channel, Channel.Termination.SOCKET_CLOSED);
                    return;
                }
                send(Message.reply(joinRef, message.ref(), topic, true, response));
            }
            case JoinReply.Error(JsonNode response) -> {
                channel.markEnded();
                send(Message.reply(joinRef, message.ref(), topic, false, response));
            }
        }
    }

    private void leave(Message message) {
        Channel<I> channel;
        synchronized (this) {
            channel = channels.remove(message.topic());
        }
        if (channel == null) {
            replyError(message.joinRef(), message, "unmatched topic");
            return;
        }
        ended(channel, Channel.Termination.LEFT);
        send(Message.reply(channel.joinRef(), message.ref(), message.topic(), true, null));
    }

    private void push(Message message) {
        Channel<I> channel;
        synchronized (this) {
            channel = channels.get(message.topic());
        }
        if (channel == null) {
            server.stats().droppedFrames.increment();
            LOG.debug("socket {}: {} to '{}', which is not joined", id, message.event(), message.topic());
            replyError(message.joinRef(), message, "unmatched topic");
            return;
        }
        var inbound = new Inbound(message.event(), message.payload(),
                (ok, response) -> send(Message.reply(channel.joinRef(), message.ref(), message.topic(), ok, response)));
        try {
            endpoint.handlerFor(message.topic()).orElseThrow().handleIn(channel, inbound);
        } catch (RuntimeException crash) {
            LOG.error("socket {}: the handler for '{}' failed on {}", id, message.topic(), message.event(), crash);
            terminate(channel, Channel.Termination.CRASHED);
        }
    }

    /** Ends a channel from the server side and tells the client with phx_close or phx_error. */
    void terminate(Channel<I> channel, Channel.Termination reason) {
        synchronized (this) {
            channels.remove(channel.topic(), channel);
        }
        finish(channel, reason);
    }

    private void finish(Channel<I> channel, Channel.Termination reason) {
        if (!ended(channel, reason)) {
            return;
        }
        String event = reason == Channel.Termination.CRASHED ? Message.ERROR : Message.CLOSE;
        send(new Message(channel.joinRef(), channel.joinRef(), channel.topic(), event, JsonNodeFactory.instance.objectNode()));
    }

    /** Runs the end of a channel once: unsubscribes it and tells its handler. False if it had already ended. */
    private boolean ended(Channel<I> channel, Channel.Termination reason) {
        if (!channel.markEnded()) {
            return false;
        }
        server.unsubscribe(channel);
        endpoint.handlerFor(channel.topic()).ifPresent(handler -> {
            try {
                handler.terminated(channel, reason);
            } catch (RuntimeException bug) {
                LOG.error("socket {}: the handler for '{}' failed when its channel ended", id, channel.topic(), bug);
            }
        });
        return true;
    }

    private void replyError(JsonNode joinRef, Message message, String reason) {
        send(Message.reply(joinRef, message.ref(), message.topic(), false, JsonNodeFactory.instance.objectNode().put("reason", reason)));
    }

    /** Why a decoded message is still unacceptable, or null. */
    private static String oversizedOrUnprintable(Message message) {
        if (!isShortName(message.topic())) {
            return "topic longer than " + MAX_NAME_CHARS + " characters or with control characters";
        }
        if (!isShortName(message.event())) {
            return "event longer than " + MAX_NAME_CHARS + " characters or with control characters";
        }
        if (!isShortRef(message.ref()) || !isShortRef(message.joinRef())) {
            return "ref or join_ref not a number or a string of at most " + MAX_REF_CHARS + " characters";
        }
        return null;
    }

    private static boolean isShortName(String name) {
        return name.length() <= MAX_NAME_CHARS && name.chars().noneMatch(Character::isISOControl);
    }

    private static boolean isShortRef(JsonNode ref) {
        if (ref == null) {
            return true;
        }
        if (ref.isTextual()) {
            return isShortName(ref.textValue()) && ref.textValue().length() <= MAX_REF_CHARS;
        }
        return ref.isIntegralNumber() && ref.asText().length() <= MAX_REF_CHARS;
    }

    private static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private boolean admitJoin() {
        long now = System.nanoTime();
        synchronized (this) {
            if (now - joinWindowStart >= MINUTE_NANOS) {
                joinWindowStart = now;
                joinsInWindow = 0;
            }
            return ++joinsInWindow <= endpoint.maxJoinsPerMinute();
        }
    }
}
