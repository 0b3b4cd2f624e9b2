package dev.zonewire.tunnel.gateway;

import java.util.UUID;

/** A request to resolve {@code name} again: every real IP of it stopped answering this client. */
public record RefreshDns(UUID clientId, UUID resourceId, String name) {}
