package dev.zonewire.tunnel.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.zonewire.tunnel.net.IpLiterals;
import java.util.List;
import java.util.UUID;

/**
 * JSON codec of topic {@code gateway} (portal-protocol.md §3.3), both directions. Decoding never throws;
 * encoding writes the keys the portal sends ({@code flow_id} and {@code actor} only when known).
 */
public final class GatewayMessages {
    private static final int MAX_PORT = 65535;

    private GatewayMessages() {}

    // Portal -> gateway.

    public static Decoded<GatewayInbound> decodeInbound(String event, String payloadJson) {
        return Decoding.parseThen(event, payloadJson, payload -> decodeInbound(event, payload));
    }

    public static Decoded<GatewayInbound> decodeInbound(String event, JsonNode payload) {
        return switch (event) {
            case "init" -> Decoding.decode(event, payload, json -> {
                JsonFields fields = JsonFields.of(json, "");
                JsonFields config = fields.object("config");
                return new GatewayInbound.Init(ValueCodec.readInterface(fields.object("interface")),
                        config.bool("ipv4_masquerade_enabled"), config.bool("ipv6_masquerade_enabled"),
                        fields.optionalObjects("relays", ValueCodec::readRelay));
            });
            case "relays_presence" -> Decoding.decode(event, payload, json -> {
                JsonFields fields = JsonFields.of(json, "");
                return new GatewayInbound.RelaysPresence(fields.ids("disconnected_ids"), fields.objects("connected", ValueCodec::readRelay));
            });
            case "authorize_flow" -> Decoding.decode(event, payload, json -> readAuthorizeFlow(JsonFields.of(json, "")));
            case "request_connection" -> Decoding.decode(event, payload, json -> readRequestConnection(JsonFields.of(json, "")));
            case "allow_access" -> Decoding.decode(event, payload, json -> readAllowAccess(JsonFields.of(json, "")));
            case "reject_access" -> Decoding.decode(event, payload, json -> {
                JsonFields fields = JsonFields.of(json, "");
                return new GatewayInbound.RejectAccess(fields.optionalId("flow_id"), fields.id("client_id"), fields.id("resource_id"));
            });
            case "resource_updated" -> Decoding.decode(event, payload,
                    json -> new GatewayInbound.ResourceUpdated(readResource(JsonFields.of(json, ""))));
            case "ice_candidates" -> Decoding.decode(event, payload, json -> {
                JsonFields fields = JsonFields.of(json, "");
                return new GatewayInbound.IceCandidates(fields.id("client_id"), fields.strings("candidates"));
            });
            case "invalidate_ice_candidates" -> Decoding.decode(event, payload, json -> {
                JsonFields fields = JsonFields.of(json, "");
                return new GatewayInbound.InvalidateIceCandidates(fields.id("client_id"), fields.strings("candidates"));
            });
            case "disconnect" -> Decoding.decode(event, payload,
                    json -> new GatewayInbound.Disconnect(JsonFields.of(json, "").text("reason")));
            default -> new Decoded.UnknownEvent<>(event);
        };
    }

    public static PortalMessage encode(GatewayInbound message) {
        return switch (message) {
            case GatewayInbound.Init init -> {
                ObjectNode json = PortalJson.object();
                json.set("interface", ValueCodec.writeInterface(init.iface(), false));
                json.putObject("config")
                        .put("ipv4_masquerade_enabled", init.ipv4MasqueradeEnabled())
                        .put("ipv6_masquerade_enabled", init.ipv6MasqueradeEnabled());
                json.set("relays", ValueCodec.writeRelays(init.relays()));
                yield new PortalMessage("init", json);
            }
            case GatewayInbound.RelaysPresence presence -> {
                ObjectNode json = PortalJson.object();
                json.set("disconnected_ids", ValueCodec.ids(presence.disconnectedIds()));
                json.set("connected", ValueCodec.writeRelays(presence.connected()));
                yield new PortalMessage("relays_presence", json);
            }
            case GatewayInbound.AuthorizeFlow flow -> new PortalMessage("authorize_flow", writeAuthorizeFlow(flow));
            case GatewayInbound.RequestConnection request -> new PortalMessage("request_connection", writeRequestConnection(request));
            case GatewayInbound.AllowAccess allow -> new PortalMessage("allow_access", writeAllowAccess(allow));
            case GatewayInbound.RejectAccess reject -> {
                ObjectNode json = PortalJson.object();
                putOptionalId(json, "flow_id", reject.flowId());
                json.put("client_id", reject.clientId().toString());
                json.put("resource_id", reject.resourceId().toString());
                yield new PortalMessage("reject_access", json);
            }
            case GatewayInbound.ResourceUpdated updated -> new PortalMessage("resource_updated", writeResource(updated.resource()));
            case GatewayInbound.IceCandidates candidates -> new PortalMessage("ice_candidates", clientCandidates(candidates.clientId(), candidates.candidates()));
            case GatewayInbound.InvalidateIceCandidates candidates ->
                    new PortalMessage("invalidate_ice_candidates", clientCandidates(candidates.clientId(), candidates.candidates()));
            case GatewayInbound.Disconnect disconnect -> new PortalMessage("disconnect", PortalJson.object().put("reason", disconnect.reason()));
        };
    }

    // Gateway -> portal.

    public static Decoded<GatewayOutbound> decodeOutbound(String event, String payloadJson) {
        return Decoding.parseThen(event, payloadJson, payload -> decodeOutbound(event, payload));
    }

    public static Decoded<GatewayOutbound> decodeOutbound(String event, JsonNode payload) {
        return switch (event) {
            case "flow_authorized" -> Decoding.decode(event, payload,
                    json -> new GatewayOutbound.FlowAuthorized(JsonFields.of(json, "").text("ref")));
            case "connection_ready" -> Decoding.decode(event, payload, json -> {
                JsonFields fields = JsonFields.of(json, "");
                return new GatewayOutbound.ConnectionReady(fields.text("ref"), ValueCodec.readGatewayResponse(fields.object("gateway_payload")));
            });
            case "broadcast_ice_candidates" -> Decoding.decode(event, payload, json -> {
                JsonFields fields = JsonFields.of(json, "");
                return new GatewayOutbound.BroadcastIceCandidates(fields.ids("client_ids"), fields.strings("candidates"));
            });
            case "broadcast_invalidated_ice_candidates" -> Decoding.decode(event, payload, json -> {
                JsonFields fields = JsonFields.of(json, "");
                return new GatewayOutbound.BroadcastInvalidatedIceCandidates(fields.ids("client_ids"), fields.strings("candidates"));
            });
            default -> new Decoded.UnknownEvent<>(event);
        };
    }

    public static PortalMessage encode(GatewayOutbound message) {
        return switch (message) {
            case GatewayOutbound.FlowAuthorized authorized -> new PortalMessage("flow_authorized", PortalJson.object().put("ref", authorized.ref()));
            case GatewayOutbound.ConnectionReady ready -> {
                ObjectNode json = PortalJson.object().put("ref", ready.ref());
                json.set("gateway_payload", ValueCodec.writeGatewayResponse(ready.gatewayPayload()));
                yield new PortalMessage("connection_ready", json);
            }
            case GatewayOutbound.BroadcastIceCandidates broadcast -> new PortalMessage("broadcast_ice_candidates",
                    clientsCandidates(broadcast.clientIds(), broadcast.candidates()));
            case GatewayOutbound.BroadcastInvalidatedIceCandidates broadcast -> new PortalMessage("broadcast_invalidated_ice_candidates",
                    clientsCandidates(broadcast.clientIds(), broadcast.candidates()));
        };
    }

    // Resources.

    static GatewayResource readResource(JsonFields json) {
        String type = json.text("type");
        return switch (type) {
            case "dns" -> new GatewayResource.Dns(json.id("id"), json.text("address"), json.text("name"),
                    json.objects("filters", ValueCodec::readFilter));
            case "cidr" -> new GatewayResource.Cidr(json.id("id"), json.network("address"), json.text("name"),
                    json.objects("filters", ValueCodec::readFilter));
            case "internet" -> new GatewayResource.Internet(json.id("id"));
            default -> throw json.unknownTag("type", type);
        };
    }

    static ObjectNode writeResource(GatewayResource resource) {
        ObjectNode json = PortalJson.object();
        json.put("id", resource.id().toString());
        switch (resource) {
            case GatewayResource.Dns dns -> {
                json.put("type", "dns").put("address", dns.address()).put("name", dns.name());
                json.set("filters", ValueCodec.writeFilters(dns.filters()));
            }
            case GatewayResource.Cidr cidr -> {
                json.put("type", "cidr").put("address", cidr.address().toString()).put("name", cidr.name());
                json.set("filters", ValueCodec.writeFilters(cidr.filters()));
            }
            case GatewayResource.Internet internet -> json.put("type", "internet");
        }
        return json;
    }

    private static GatewayInbound.AuthorizeFlow readAuthorizeFlow(JsonFields json) {
        JsonFields client = json.object("client");
        return new GatewayInbound.AuthorizeFlow(json.text("ref"), json.optionalId("flow_id"), actorId(json),
                readResource(json.object("resource")),
                ValueCodec.readIceCredentials(json.object("gateway_ice_credentials")),
                new GatewayInbound.FlowClient(client.id("id"), client.publicKey("public_key"), client.key32Secret("preshared_key"),
                        client.ipv4("ipv4"), client.ipv6("ipv6")),
                ValueCodec.readIceCredentials(json.object("client_ice_credentials")),
                ValueCodec.readExpiresAt(json));
    }

    private static ObjectNode writeAuthorizeFlow(GatewayInbound.AuthorizeFlow flow) {
        ObjectNode json = PortalJson.object().put("ref", flow.ref());
        putOptionalId(json, "flow_id", flow.flowId());
        putActor(json, flow.actorId());
        json.set("resource", writeResource(flow.resource()));
        json.set("client", PortalJson.object()
                .put("id", flow.client().id().toString())
                .put("public_key", flow.client().publicKey().toBase64())
                .put("preshared_key", flow.client().presharedKey().exposeBase64())
                .put("ipv4", IpLiterals.format(flow.client().ipv4()))
                .put("ipv6", IpLiterals.format(flow.client().ipv6())));
        json.set("client_ice_credentials", ValueCodec.writeIceCredentials(flow.clientIceCredentials()));
        json.set("gateway_ice_credentials", ValueCodec.writeIceCredentials(flow.gatewayIceCredentials()));
        ValueCodec.writeExpiresAt(json, flow.expiresAt());
        return json;
    }

    private static GatewayInbound.RequestConnection readRequestConnection(JsonFields json) {
        JsonFields client = json.object("client");
        JsonFields clientPayload = client.object("payload");
        JsonFields domain = clientPayload.optionalObject("domain");
        JsonFields peer = client.object("peer");
        Long keepalive = peer.optionalInteger("persistent_keepalive", 0, MAX_PORT);
        GatewayInbound.LegacyPeer legacyPeer = new GatewayInbound.LegacyPeer(keepalive == null ? null : keepalive.intValue(),
                peer.publicKey("public_key"), peer.key32Secret("preshared_key"), peer.ipv4("ipv4"), peer.ipv6("ipv6"));
        GatewayInbound.LegacyClient legacyClient = new GatewayInbound.LegacyClient(client.id("id"),
                ValueCodec.readIceCredentials(clientPayload.object("ice_parameters")),
                domain == null ? null : ValueCodec.readResolveRequest(domain), legacyPeer);
        return new GatewayInbound.RequestConnection(json.text("ref"), json.optionalId("flow_id"), actorId(json),
                readResource(json.object("resource")), legacyClient, ValueCodec.readExpiresAt(json));
    }

    private static ObjectNode writeRequestConnection(GatewayInbound.RequestConnection request) {
        ObjectNode json = PortalJson.object().put("ref", request.ref());
        putOptionalId(json, "flow_id", request.flowId());
        putActor(json, request.actorId());
        json.set("resource", writeResource(request.resource()));
        GatewayInbound.LegacyClient client = request.client();
        ObjectNode clientJson = json.putObject("client").put("id", client.id().toString());
        ObjectNode payload = clientJson.putObject("payload");
        payload.set("ice_parameters", ValueCodec.writeIceCredentials(client.iceParameters()));
        if (client.domain() != null) {
            payload.set("domain", ValueCodec.writeResolveRequest(client.domain()));
        }
        ObjectNode peer = clientJson.putObject("peer");
        if (client.peer().persistentKeepalive() != null) {
            peer.put("persistent_keepalive", client.peer().persistentKeepalive());
        }
        peer.put("public_key", client.peer().publicKey().toBase64())
                .put("preshared_key", client.peer().presharedKey().exposeBase64())
                .put("ipv4", IpLiterals.format(client.peer().ipv4()))
                .put("ipv6", IpLiterals.format(client.peer().ipv6()));
        ValueCodec.writeExpiresAt(json, request.expiresAt());
        return json;
    }

    private static GatewayInbound.AllowAccess readAllowAccess(JsonFields json) {
        JsonFields payload = json.optionalObject("payload");
        return new GatewayInbound.AllowAccess(json.text("ref"), json.id("client_id"), json.optionalId("flow_id"),
                readResource(json.object("resource")), ValueCodec.readExpiresAt(json),
                payload == null ? null : ValueCodec.readResolveRequest(payload),
                json.ipv4("client_ipv4"), json.ipv6("client_ipv6"));
    }

    private static ObjectNode writeAllowAccess(GatewayInbound.AllowAccess allow) {
        ObjectNode json = PortalJson.object().put("ref", allow.ref()).put("client_id", allow.clientId().toString());
        putOptionalId(json, "flow_id", allow.flowId());
        json.set("resource", writeResource(allow.resource()));
        ValueCodec.writeExpiresAt(json, allow.expiresAt());
        if (allow.payload() == null) {
            json.putNull("payload");
        } else {
            json.set("payload", ValueCodec.writeResolveRequest(allow.payload()));
        }
        json.put("client_ipv4", IpLiterals.format(allow.clientIpv4()));
        json.put("client_ipv6", IpLiterals.format(allow.clientIpv6()));
        return json;
    }

    private static UUID actorId(JsonFields json) {
        JsonFields actor = json.optionalObject("actor");
        return actor == null ? null : actor.optionalId("id");
    }

    private static void putActor(ObjectNode json, UUID actorId) {
        if (actorId != null) {
            json.putObject("actor").put("id", actorId.toString());
        }
    }

    private static void putOptionalId(ObjectNode json, String field, UUID id) {
        if (id != null) {
            json.put(field, id.toString());
        }
    }

    private static ObjectNode clientCandidates(UUID clientId, List<String> candidates) {
        ObjectNode json = PortalJson.object().put("client_id", clientId.toString());
        json.set("candidates", ValueCodec.strings(candidates));
        return json;
    }

    private static ObjectNode clientsCandidates(List<UUID> clientIds, List<String> candidates) {
        ObjectNode json = PortalJson.object();
        json.set("client_ids", ValueCodec.ids(clientIds));
        json.set("candidates", ValueCodec.strings(candidates));
        return json;
    }
}
