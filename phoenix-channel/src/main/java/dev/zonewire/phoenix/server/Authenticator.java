package dev.zonewire.phoenix.server;

/**
 * Decides at the HTTP upgrade whether a socket may open, and with which identity. It runs on a
 * server thread before the upgrade, like Phoenix's {@code connect/3}; an exception is answered
 * with 500 and logged.
 */
@FunctionalInterface
public interface Authenticator<I> {
    AuthResult<I> authenticate(ConnectRequest request);
}
