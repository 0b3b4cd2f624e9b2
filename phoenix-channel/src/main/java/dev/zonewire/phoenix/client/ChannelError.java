package dev.zonewire.phoenix.client;

import java.time.Duration;

/** Why the channel stopped for good (spec 2.3, "fatal"); the owning component then stops. */
public sealed interface ChannelError {
    /** A sentence for the operator; never contains the token. */
    String message();

    /** 401 or 403 on the upgrade, or {@code disconnect} with {@code token_expired}: sign in again. */
    boolean isAuthenticationError();

    /** The portal refused the WebSocket upgrade with a status that retrying will not change. */
    record Rejected(int status, String body) implements ChannelError {
        @Override
        public String message() {
            String hint = isAuthenticationError() ? " (the token was refused: check or renew it)" : "";
            return "the portal refused the connection with HTTP " + status + (body.isBlank() ? "" : ": " + body.strip()) + hint;
        }

        @Override
        public boolean isAuthenticationError() {
            return status == 401 || status == 403;
        }
    }

    /** The portal pushed {@code disconnect}: the token expired or the component was deleted. */
    record TokenExpired(String reason) implements ChannelError {
        @Override
        public String message() {
            return "the portal disconnected us: " + reason;
        }

        @Override
        public boolean isAuthenticationError() {
            return true;
        }
    }

    /** The portal answered our join with an error, e.g. {@code invalid_version}. */
    record LoginFailed(String topic, String reason) implements ChannelError {
        @Override
        public String message() {
            return "the portal refused to join topic '" + topic + "': " + reason;
        }

        @Override
        public boolean isAuthenticationError() {
            return false;
        }
    }

    /** One outage outlasted the component's window; {@code finalError} is the last transient error. */
    record MaxRetriesReached(String finalError, Duration outage) implements ChannelError {
        @Override
        public String message() {
            return "gave up reconnecting to the portal after " + outage.toSeconds() + " s of outage; last error: " + finalError;
        }

        @Override
        public boolean isAuthenticationError() {
            return false;
        }
    }
}
