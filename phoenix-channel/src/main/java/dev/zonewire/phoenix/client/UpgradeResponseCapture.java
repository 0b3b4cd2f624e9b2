package dev.zonewire.phoenix.client;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLException;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.eclipse.jetty.websocket.client.JettyUpgradeListener;

/**
 * Watches one upgrade request so that a refused upgrade can be classified with its status, its
 * {@code Retry-After} and the start of its body, which Jetty's exception does not carry.
 */
final class UpgradeResponseCapture implements JettyUpgradeListener {
    private static final int MAX_BODY = 256;

    private volatile int status;
    private volatile Optional<Duration> retryAfter = Optional.empty();
    private final StringBuilder body = new StringBuilder();

    @Override
    public void onHandshakeRequest(Request request) {
        request.onResponseHeaders(response -> {
            status = response.getStatus();
            retryAfter = parseRetryAfter(response.getHeaders().get("Retry-After"), ZonedDateTime.now());
        });
        request.onResponseContent((response, content) -> appendBody(content));
    }

    /** Maps a failed connect to the core's vocabulary; {@code sanitize} strips the token from texts. */
    ConnectFailure classify(Throwable failure, UnaryOperator<String> sanitize) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        int upgradeStatus = cause instanceof UpgradeException upgrade ? upgrade.getResponseStatusCode() : 0;
        int seen = upgradeStatus > 0 ? upgradeStatus : status;
        if (seen > 0 && seen != 101) {
            String text;
            synchronized (body) {
                text = body.toString();
            }
            return new ConnectFailure.HttpStatus(seen, retryAfter, sanitize.apply(text));
        }
        Throwable root = rootCause(cause);
        String what = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + sanitize.apply(root.getMessage()));
        return switch (root) {
            case ConnectException e -> new ConnectFailure.Unreachable(what);
            case NoRouteToHostException e -> new ConnectFailure.Unreachable(what);
            case UnknownHostException e -> new ConnectFailure.Unreachable(what);
            case UnresolvedAddressException e -> new ConnectFailure.Unreachable(what);
            case SocketTimeoutException e -> new ConnectFailure.Unreachable(what);
            case TimeoutException e -> new ConnectFailure.Unreachable(what);
            case SSLException e -> new ConnectFailure.HandshakeFailed(what);
            default -> new ConnectFailure.HandshakeFailed(what);
        };
    }

    /** Retry-After is either delay-seconds or an HTTP date (RFC 9110 10.2.3). */
    static Optional<Duration> parseRetryAfter(String value, ZonedDateTime now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String trimmed = value.trim();
        try {
            long seconds = Long.parseLong(trimmed);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(now, ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME));
                return Optional.of(until.isNegative() ? Duration.ZERO : until);
            } catch (RuntimeException notADate) {
                return Optional.empty();
            }
        }
    }

    private void appendBody(ByteBuffer content) {
        synchronized (body) {
            int room = MAX_BODY - body.length();
            if (room <= 0) {
                return;
            }
            ByteBuffer slice = content.slice();
            byte[] bytes = new byte[Math.min(room, slice.remaining())];
            slice.get(bytes);
            body.append(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
