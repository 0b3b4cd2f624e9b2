package dev.zonewire.phoenix.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import dev.zonewire.phoenix.Decoded;
import dev.zonewire.phoenix.Message;
import dev.zonewire.phoenix.Serializer;
import dev.zonewire.phoenix.V1JsonSerializer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.SequencedSet;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The portal connection of one component, as a sans-IO state machine: it joins the component's
 * topic on every connection, matches replies to pushes, sends heartbeats, and reconnects with
 * backoff when the connection is lost. It reads no clock and does no IO: the driver feeds it what
 * happened ({@code handle*} with the current time in nanoseconds), then drains
 * {@link #pollAction()} and {@link #pollEvent()}, and calls {@link #handleTimeout} at
 * {@link #pollTimeout()}.
 *
 * <p>The reconnect window (spec 2.5) is measured from the first failure of the current outage;
 * the outage ends when the topic is joined again. A re-join, not a reconnect, answers
 * {@code phx_error} and {@code phx_close} on the login topic, which the reference does not do.
 * The portal's host is resolved on every attempt, falling back to the last good addresses when
 * DNS fails.
 */
public final class ChannelClient {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelClient.class);
    /** Refs of sent pushes still awaiting a reply; a portal that never answers cannot grow it further. */
    private static final int MAX_AWAITED_REPLIES = 1024;
    private static final String UNMATCHED_TOPIC = "unmatched topic";

    private enum Phase { IDLE, RESOLVING, CONNECTING, CONNECTED, WAITING, CLOSING, CLOSED, FAILED }

    private enum JoinState { NONE, JOINING, JOINED, REJOIN_WAIT }

    private record Queued(long ref, String frame) {}

    private final ChannelConfig config;
    private final RandomGenerator random;
    private final Serializer serializer = V1JsonSerializer.INSTANCE;
    private final ArrayDeque<DriverAction> actions = new ArrayDeque<>();
    private final ArrayDeque<ChannelEvent> events = new ArrayDeque<>();
    private final ArrayDeque<Queued> unsent = new ArrayDeque<>();
    private final SequencedSet<Long> awaitingReply = new LinkedHashSet<>();
    private long attempts;
    private long rejoins;
    private long dnsFallbacks;
    private long malformedFrames;
    private long droppedFrames;
    private long pushesDropped;

    private LoginUrl url;
    private Phase phase = Phase.IDLE;
    private long attempt;
    /** RESOLVING/CONNECTING: the attempt's deadline; WAITING: when to try again; CLOSING: when to give up waiting. */
    private long phaseDeadline;
    private long nextRef;

    private Backoff outage;
    private List<InetAddress> attemptAddresses = List.of();
    private List<InetAddress> lastResolved = List.of();
    private List<InetAddress> lastConnected = List.of();

    private long nextHeartbeatAt;
    private long pendingHeartbeatRef = -1;
    private long heartbeatDeadline;

    private JoinState joinState = JoinState.NONE;
    private long joinRef = -1;
    private long joinDeadline;
    private long joinedAt;
    private long rejoinAt;
    private Backoff rejoinBackoff;

    /** A channel to {@code url} that stays idle until {@link #connect(long)}. */
    public ChannelClient(ChannelConfig config, LoginUrl url, RandomGenerator random) {
        this.config = config;
        this.url = url;
        this.random = random;
    }

    // ---- the owner's API ----

    /** Connects (or reconnects) to the current URL; see {@link #connect(LoginUrl, long)}. */
    public void connect(long nowNanos) {
        connect(url, nowNanos);
    }

    /**
     * Connects to {@code newUrl} now. A call with the URL of an attempt still in progress (which
     * includes waiting out a backoff delay) does nothing; otherwise the current socket is dropped,
     * the outage window is cleared and a new attempt starts at once (spec 2.4).
     */
    public void connect(LoginUrl newUrl, long nowNanos) {
        boolean attemptInProgress = phase == Phase.RESOLVING || phase == Phase.CONNECTING || phase == Phase.WAITING;
        if (attemptInProgress && newUrl.equals(url)) {
            return;
        }
        abortSocket();
        url = newUrl;
        outage = null;
        LOG.info("connecting to the portal at {}", url.redacted());
        startAttempt(nowNanos);
    }

    /**
     * Pushes {@code event} on the login topic and returns its ref, which the reply will carry. While
     * the topic is not joined the push waits in a queue; a queue already holding more than
     * {@code maxQueuedPushes} pushes is discarded first (spec 1.9), reported as {@link ChannelEvent.PushesDropped}.
     */
    public long push(String event, JsonNode payload) {
        long ref = nextRef++;
        String frame = serializer.encode(new Message(null, LongNode.valueOf(ref), topic(), event, payload));
        if (canSendPushes()) {
            sendPush(ref, frame);
            return ref;
        }
        if (unsent.size() > config.maxQueuedPushes()) {
            List<Long> dropped = unsent.stream().map(Queued::ref).toList();
            unsent.clear();
            pushesDropped += dropped.size();
            LOG.warn("discarding {} pushes queued while the portal is unreachable", dropped.size());
            events.add(new ChannelEvent.PushesDropped(dropped));
        }
        unsent.add(new Queued(ref, frame));
        return ref;
    }

    /** Closes the connection for good; {@link ChannelEvent.Closed} follows. */
    public void close(long nowNanos) {
        if (phase == Phase.CLOSED || phase == Phase.CLOSING || phase == Phase.FAILED) {
            return;
        }
        if (phase == Phase.CONNECTED) {
            actions.add(new DriverAction.Close(attempt, true));
            phase = Phase.CLOSING;
            phaseDeadline = nowNanos + config.closeTimeout().toNanos();
            return;
        }
        abortSocket();
        finishClose();
    }

    public boolean isJoined() {
        return phase == Phase.CONNECTED && joinState == JoinState.JOINED;
    }

    /** A snapshot of what this channel retried and dropped, for the owner's metrics. */
    public ChannelStats stats() {
        return new ChannelStats(attempts, rejoins, dnsFallbacks, malformedFrames, droppedFrames, pushesDropped);
    }

    // ---- the driver's inputs ----

    public void handleResolved(long forAttempt, List<InetAddress> addresses, long nowNanos) {
        if (!isCurrent(forAttempt, Phase.RESOLVING)) {
            return;
        }
        if (addresses.isEmpty()) {
            resolutionFailed("no addresses for " + url.host(), nowNanos);
            return;
        }
        lastResolved = List.copyOf(addresses);
        open(lastResolved, nowNanos);
    }

    public void handleResolveFailed(long forAttempt, String reason, long nowNanos) {
        if (isCurrent(forAttempt, Phase.RESOLVING)) {
            resolutionFailed(reason, nowNanos);
        }
    }

    public void handleConnected(long forAttempt, long nowNanos) {
        if (!isCurrent(forAttempt, Phase.CONNECTING)) {
            return;
        }
        phase = Phase.CONNECTED;
        lastConnected = attemptAddresses;
        nextHeartbeatAt = nowNanos + config.heartbeatInterval().toNanos();
        pendingHeartbeatRef = -1;
        rejoinBackoff = null;
        LOG.info("connected to the portal at {}", url.redacted());
        sendJoin(nowNanos);
    }

    public void handleConnectFailed(long forAttempt, ConnectFailure failure, long nowNanos) {
        if (!isCurrent(forAttempt, Phase.CONNECTING)) {
            return;
        }
        phase = Phase.WAITING; // the driver has no socket left to close
        switch (failure) {
            case ConnectFailure.HttpStatus http when http.status() == 429 || http.status() == 503 ->
                    transientFailure(failure.describe(), http.retryAfter(), nowNanos);
            case ConnectFailure.HttpStatus http when http.status() >= 400 && http.status() < 500 ->
                    fail(new ChannelError.Rejected(http.status(), http.body()));
            default -> transientFailure(failure.describe(), Optional.empty(), nowNanos);
        }
    }

    public void handleFrame(long forAttempt, String frame, long nowNanos) {
        if (!isCurrent(forAttempt, Phase.CONNECTED)) {
            return;
        }
        switch (serializer.decode(frame)) {
            case Decoded.Malformed(String reason) -> {
                malformedFrames++;
                LOG.warn("dropping a malformed frame from the portal: {}", reason);
            }
            case Decoded.Ok(Message message) -> dispatch(message, nowNanos);
        }
    }

    public void handleClosed(long forAttempt, String reason, long nowNanos) {
        if (forAttempt != attempt) {
            return;
        }
        switch (phase) {
            case CLOSING -> finishClose();
            case CONNECTING, CONNECTED -> {
                phase = Phase.WAITING; // the socket is gone: nothing left to abort
                transientFailure("connection closed" + (reason.isBlank() ? "" : ": " + reason), Optional.empty(), nowNanos);
            }
            default -> { }
        }
    }

    public void handleTimeout(long nowNanos) {
        switch (phase) {
            case WAITING -> {
                if (nowNanos >= phaseDeadline) {
                    startAttempt(nowNanos);
                }
            }
            case RESOLVING -> {
                if (nowNanos >= phaseDeadline) {
                    resolutionFailed("DNS timed out after " + config.resolveTimeout().toSeconds() + " s", nowNanos);
                }
            }
            case CONNECTING -> {
                if (nowNanos >= phaseDeadline) {
                    transientFailure("timed out connecting to " + url.host(), Optional.empty(), nowNanos);
                }
            }
            case CONNECTED -> connectedTimers(nowNanos);
            case CLOSING -> {
                if (nowNanos >= phaseDeadline) {
                    actions.add(new DriverAction.Close(attempt, false));
                    finishClose();
                }
            }
            default -> { }
        }
    }

    // ---- the driver's outputs ----

    /** The next thing the driver must do, or null. */
    public DriverAction pollAction() {
        return actions.poll();
    }

    /** The next event for the owner, or null. */
    public ChannelEvent pollEvent() {
        return events.poll();
    }

    /** The instant at which {@link #handleTimeout} must be called, or {@link Long#MAX_VALUE}. */
    public long pollTimeout() {
        return switch (phase) {
            case WAITING, RESOLVING, CONNECTING, CLOSING -> phaseDeadline;
            case CONNECTED -> {
                long next = pendingHeartbeatRef >= 0 ? heartbeatDeadline : nextHeartbeatAt;
                if (joinState == JoinState.JOINING) {
                    next = Math.min(next, joinDeadline);
                } else if (joinState == JoinState.REJOIN_WAIT) {
                    next = Math.min(next, rejoinAt);
                }
                yield next;
            }
            default -> Long.MAX_VALUE;
        };
    }

    // ---- connecting ----

    private void startAttempt(long nowNanos) {
        attempt++;
        attempts++;
        phase = Phase.RESOLVING;
        phaseDeadline = nowNanos + config.resolveTimeout().toNanos();
        actions.add(new DriverAction.Resolve(attempt, url.host()));
    }

    private void resolutionFailed(String reason, long nowNanos) {
        List<InetAddress> fallback = !lastConnected.isEmpty() ? lastConnected : lastResolved;
        if (fallback.isEmpty()) {
            transientFailure("failed to resolve " + url.host() + ": " + reason, Optional.empty(), nowNanos);
            return;
        }
        dnsFallbacks++;
        LOG.warn("cannot resolve {} ({}); using its last good addresses {}", url.host(), reason, fallback);
        open(fallback, nowNanos);
    }

    private void open(List<InetAddress> addresses, long nowNanos) {
        phase = Phase.CONNECTING;
        attemptAddresses = addresses;
        phaseDeadline = nowNanos
                + config.connectTimeoutPerAddress().toNanos() * addresses.size()
                + config.handshakeTimeout().toNanos();
        List<InetSocketAddress> sockets = addresses.stream().map(a -> new InetSocketAddress(a, url.port())).toList();
        actions.add(new DriverAction.Open(attempt, url, sockets, config.userAgent()));
    }

    // ---- connected ----

    private void dispatch(Message message, long nowNanos) {
        if (message.isReply()) {
            handleReply(message, nowNanos);
            return;
        }
        if (!topic().equals(message.topic())) {
            droppedFrames++;
            LOG.warn("dropping {} for topic '{}', which we did not join", message.event(), message.topic());
            return;
        }
        switch (message.event()) {
            case Message.ERROR, Message.CLOSE -> {
                LOG.warn("the portal ended our channel on '{}' ({}); joining it again", message.topic(), message.event());
                scheduleRejoin(nowNanos);
            }
            case "disconnect" -> fail(new ChannelError.TokenExpired(textField(message.payload(), "reason", "token_expired")));
            default -> events.add(new ChannelEvent.Received(message.topic(), message.event(), message.payload()));
        }
    }

    private void handleReply(Message reply, long nowNanos) {
        long ref = numericRef(reply.ref());
        if (ref < 0) {
            droppedFrames++;
            LOG.warn("dropping a reply on '{}' without a usable ref", reply.topic());
            return;
        }
        boolean ok = "ok".equals(textField(reply.payload(), "status", ""));
        JsonNode response = reply.payload().path("response");
        if (ref == pendingHeartbeatRef) {
            pendingHeartbeatRef = -1;
            return;
        }
        if (ref == joinRef && joinState == JoinState.JOINING) {
            joinReplied(ok, response, nowNanos);
            return;
        }
        if (!awaitingReply.remove(ref)) {
            droppedFrames++;
            LOG.warn("dropping a reply to ref {}, which is not awaiting one", ref);
            return;
        }
        if (ok) {
            events.add(new ChannelEvent.ReplyOk(ref, response));
            return;
        }
        String reason = textField(response, "reason", "unknown");
        events.add(new ChannelEvent.ReplyError(ref, reason, response));
        if (UNMATCHED_TOPIC.equals(reason) && joinState == JoinState.JOINED) {
            LOG.warn("the portal no longer knows our channel on '{}'; joining it again", topic());
            scheduleRejoin(nowNanos);
        }
    }

    private void joinReplied(boolean ok, JsonNode response, long nowNanos) {
        if (!ok) {
            fail(new ChannelError.LoginFailed(topic(), textField(response, "reason", "unknown")));
            return;
        }
        joinState = JoinState.JOINED;
        joinedAt = nowNanos;
        if (outage != null) {
            LOG.info("portal connection restored after {} s", Duration.ofNanos(nowNanos - outage.startNanos()).toSeconds());
        }
        outage = null;
        LOG.info("joined topic '{}'", topic());
        events.add(new ChannelEvent.Joined(topic(), response));
    }

    private void sendJoin(long nowNanos) {
        joinRef = nextRef++;
        joinState = JoinState.JOINING;
        joinDeadline = nowNanos + config.joinTimeout().toNanos();
        Message join = new Message(null, LongNode.valueOf(joinRef), topic(), Message.JOIN, config.joinPayload());
        actions.add(new DriverAction.Send(attempt, serializer.encode(join)));
        // Phoenix handles the join before the frames behind it, so queued pushes may follow at once.
        while (!unsent.isEmpty()) {
            Queued queued = unsent.poll();
            sendPush(queued.ref(), queued.frame());
        }
    }

    private void scheduleRejoin(long nowNanos) {
        if (joinState == JoinState.REJOIN_WAIT || joinState == JoinState.JOINING) {
            return; // one re-join in flight at a time
        }
        if (rejoinBackoff == null || nowNanos - joinedAt >= config.rejoinStableAfter().toNanos()) {
            rejoinBackoff = new Backoff(config.backoff().withMaxElapsed(Optional.empty()), random, nowNanos);
        }
        joinState = JoinState.REJOIN_WAIT;
        rejoinAt = nowNanos + rejoinBackoff.nextDelayNanos(nowNanos);
        rejoins++;
    }

    private void connectedTimers(long nowNanos) {
        if (pendingHeartbeatRef >= 0 && nowNanos >= heartbeatDeadline) {
            transientFailure("portal did not respond to our heartbeat", Optional.empty(), nowNanos);
            return;
        }
        if (joinState == JoinState.JOINING && nowNanos >= joinDeadline) {
            transientFailure("portal did not answer our join on '" + topic() + "'", Optional.empty(), nowNanos);
            return;
        }
        if (joinState == JoinState.REJOIN_WAIT && nowNanos >= rejoinAt) {
            sendJoin(nowNanos);
        }
        if (pendingHeartbeatRef < 0 && nowNanos >= nextHeartbeatAt) {
            sendHeartbeat(nowNanos);
        }
    }

    private void sendHeartbeat(long nowNanos) {
        pendingHeartbeatRef = nextRef++;
        heartbeatDeadline = nowNanos + config.heartbeatTimeout().toNanos();
        // Missed ticks are skipped, never bunched: the next one is counted from this one.
        nextHeartbeatAt = nowNanos + config.heartbeatInterval().toNanos();
        Message heartbeat = new Message(null, LongNode.valueOf(pendingHeartbeatRef), Message.HEARTBEAT_TOPIC,
                Message.HEARTBEAT, JsonNodeFactory.instance.objectNode());
        actions.add(new DriverAction.Send(attempt, serializer.encode(heartbeat)));
        events.add(new ChannelEvent.HeartbeatSent(pendingHeartbeatRef));
    }

    private void sendPush(long ref, String frame) {
        actions.add(new DriverAction.Send(attempt, frame));
        awaitingReply.add(ref);
        if (awaitingReply.size() > MAX_AWAITED_REPLIES) {
            awaitingReply.removeFirst();
        }
    }

    private boolean canSendPushes() {
        return phase == Phase.CONNECTED && (joinState == JoinState.JOINING || joinState == JoinState.JOINED);
    }

    // ---- failing ----

    /**
     * Feeds a transient error to the outage's backoff, which is created by the first failure of
     * the outage: how long the previous connection lasted never counts against the window.
     */
    private void transientFailure(String cause, Optional<Duration> retryAfter, long nowNanos) {
        abortSocket();
        if (outage == null) {
            outage = new Backoff(config.backoff(), random, nowNanos);
        }
        long delay = outage.nextDelayNanos(nowNanos);
        if (delay != Backoff.GIVE_UP && retryAfter.isPresent()) {
            long asked = min(retryAfter.get(), config.maxRetryAfter()).toNanos();
            if (asked > delay) {
                delay = outage.fitsInWindow(nowNanos, asked) ? asked : Backoff.GIVE_UP;
            }
        }
        if (delay == Backoff.GIVE_UP) {
            fail(new ChannelError.MaxRetriesReached(cause, Duration.ofNanos(nowNanos - outage.startNanos())));
            return;
        }
        phase = Phase.WAITING;
        phaseDeadline = nowNanos + delay;
        Duration retryIn = Duration.ofNanos(delay);
        LOG.warn("portal connection to {} failed: {}; retrying in {} ms", url.redacted(), cause, retryIn.toMillis());
        events.add(new ChannelEvent.Disconnected(cause, retryIn));
    }

    private void fail(ChannelError error) {
        abortSocket();
        phase = Phase.FAILED;
        unsent.clear();
        LOG.error("portal connection to {} stopped: {}", url.redacted(), error.message());
        events.add(new ChannelEvent.Failed(error));
    }

    private void finishClose() {
        phase = Phase.CLOSED;
        unsent.clear();
        events.add(new ChannelEvent.Closed());
    }

    /** Drops the current socket, if there is one, and forgets everything tied to it. */
    private void abortSocket() {
        if (phase == Phase.CONNECTING || phase == Phase.CONNECTED) {
            actions.add(new DriverAction.Close(attempt, false));
        }
        if (phase == Phase.RESOLVING || phase == Phase.CONNECTING || phase == Phase.CONNECTED) {
            phase = Phase.WAITING;
        }
        joinState = JoinState.NONE;
        pendingHeartbeatRef = -1;
        awaitingReply.clear();
    }

    // ---- helpers ----

    private boolean isCurrent(long forAttempt, Phase expected) {
        return forAttempt == attempt && phase == expected;
    }

    private String topic() {
        return url.mode().topic();
    }

    /** Our refs are numbers; a numeric string is accepted too, anything else is not ours. */
    private static long numericRef(JsonNode ref) {
        if (ref == null) {
            return -1;
        }
        if (ref.canConvertToLong() && ref.isIntegralNumber()) {
            return ref.longValue();
        }
        if (ref.isTextual()) {
            try {
                return Long.parseLong(ref.textValue());
            } catch (NumberFormatException notOurs) {
                return -1;
            }
        }
        return -1;
    }

    private static String textField(JsonNode node, String field, String fallback) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() ? value.textValue() : fallback;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Counters of what a channel retried and dropped. */
    public record ChannelStats(long attempts, long rejoins, long dnsFallbacks, long malformedFrames, long droppedFrames,
                               long pushesDropped) {}
}
