package dev.zonewire.tunnel.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.zonewire.tunnel.net.IpLiterals;
import java.util.List;
import java.util.UUID;

/**
 * JSON codec of topic {@code client} (portal-protocol.md §3.2): both directions, so the client and the
 * portal share one definition. Decoding never throws; encoding writes exactly the keys the reference does.
 */
public final class ClientMessages {

    private ClientMessages() {}

    // Portal -> client.

    public static Decoded<ClientInbound> decodeInbound(String event, String payloadJson) {
        return Decoding.parseThen(event, payloadJson, payload -> decodeInbound(event, payload));
    }

    public static Decoded<ClientInbound> decodeInbound(String event, JsonNode payload) {
        return switch (event) {
            case "init" -> Decoding.decode(event, payload, json -> readInit(JsonFields.of(json, "")));
            case "config_changed" -> Decoding.decode(event, payload,
                    json -> new ClientInbound.ConfigChanged(ValueCodec.readInterface(JsonFields.of(json, "").object("interface"))));
            case "resource_created_or_updated" -> Decoding.decode(event, payload,
                    json -> new ClientInbound.ResourceCreatedOrUpdated(readResource(JsonFields.of(json, ""))));
            case "resource_deleted" -> Decoding.decode(event, payload,
                    json -> new ClientInbound.ResourceDeleted(JsonFields.asId(json, "payload")));
            case "relays_presence" -> Decoding.decode(event, payload, json -> {
                JsonFields fields = JsonFields.of(json, "");
                return new ClientInbound.RelaysPresence(fields.ids("disconnected_ids"), fields.objects("connected", ValueCodec::readRelay));
            });
            case "ice_candidates" -> Decoding.decode(event, payload, json -> {
                JsonFields fields = JsonFields.of(json, "");
                return new ClientInbound.IceCandidates(fields.id("gateway_id"), fields.strings("candidates"));
            });
            case "invalidate_ice_candidates" -> Decoding.decode(event, payload, json -> {
                JsonFields fields = JsonFields.of(json, "");
                return new ClientInbound.InvalidateIceCandidates(fields.id("gateway_id"), fields.strings("candidates"));
            });
            case "flow_created" -> Decoding.decode(event, payload, json -> readFlowCreated(JsonFields.of(json, "")));
            case "flow_creation_failed" -> Decoding.decode(event, payload, json -> {
                JsonFields fields = JsonFields.of(json, "");
                return new ClientInbound.FlowCreationFailed(fields.id("resource_id"), fields.text("reason"),
                        fields.optionalList("violated_properties", JsonFields::asText));
            });
            case "disconnect" -> Decoding.decode(event, payload,
                    json -> new ClientInbound.Disconnect(JsonFields.of(json, "").text("reason")));
            default -> new Decoded.UnknownEvent<>(event);
        };
    }

    public static PortalMessage encode(ClientInbound message) {
        return switch (message) {
            case ClientInbound.Init init -> {
                ObjectNode json = PortalJson.object();
                json.set("interface", ValueCodec.writeInterface(init.iface(), true));
                json.set("resources", writeResources(init.resources()));
                json.set("relays", ValueCodec.writeRelays(init.relays()));
                yield new PortalMessage("init", json);
            }
            case ClientInbound.ConfigChanged changed -> {
                ObjectNode json = PortalJson.object();
                json.set("interface", ValueCodec.writeInterface(changed.iface(), true));
                yield new PortalMessage("config_changed", json);
            }
            case ClientInbound.ResourceCreatedOrUpdated updated -> new PortalMessage("resource_created_or_updated", writeResource(updated.resource()));
            case ClientInbound.ResourceDeleted deleted -> new PortalMessage("resource_deleted", TextNode.valueOf(deleted.resourceId().toString()));
            case ClientInbound.RelaysPresence presence -> {
                ObjectNode json = PortalJson.object();
                json.set("disconnected_ids", ValueCodec.ids(presence.disconnectedIds()));
                json.set("connected", ValueCodec.writeRelays(presence.connected()));
                yield new PortalMessage("relays_presence", json);
            }
            case ClientInbound.IceCandidates candidates -> new PortalMessage("ice_candidates", gatewayCandidates(candidates.gatewayId(), candidates.candidates()));
            case ClientInbound.InvalidateIceCandidates candidates ->
                    new PortalMessage("invalidate_ice_candidates", gatewayCandidates(candidates.gatewayId(), candidates.candidates()));
            case ClientInbound.FlowCreated created -> {
                ObjectNode json = PortalJson.object();
                json.put("resource_id", created.resourceId().toString());
                json.put("gateway_id", created.gatewayId().toString());
                json.put("gateway_group_id", created.siteId().toString());
                json.put("gateway_public_key", created.gatewayPublicKey().toBase64());
                json.put("preshared_key", created.presharedKey().exposeBase64());
                json.set("client_ice_credentials", ValueCodec.writeIceCredentials(created.clientIceCredentials()));
                json.set("gateway_ice_credentials", ValueCodec.writeIceCredentials(created.gatewayIceCredentials()));
                yield new PortalMessage("flow_created", json);
            }
            case ClientInbound.FlowCreationFailed failed -> {
                ObjectNode json = PortalJson.object();
                json.put("resource_id", failed.resourceId().toString());
                json.put("reason", failed.reason());
                if (!failed.violatedProperties().isEmpty()) {
                    json.set("violated_properties", ValueCodec.strings(failed.violatedProperties()));
                }
                yield new PortalMessage("flow_creation_failed", json);
            }
            case ClientInbound.Disconnect disconnect -> new PortalMessage("disconnect", PortalJson.object().put("reason", disconnect.reason()));
        };
    }

    // Client -> portal.

    public static Decoded<ClientOutbound> decodeOutbound(String event, String payloadJson) {
        return Decoding.parseThen(event, payloadJson, payload -> decodeOutbound(event, payload));
    }

    public static Decoded<ClientOutbound> decodeOutbound(String event, JsonNode payload) {
        return switch (event) {
            case "prepare_connection" -> Decoding.decode(event, payload, json -> {
                JsonFields fields = JsonFields.of(json, "");
                return new ClientOutbound.PrepareConnection(fields.id("resource_id"), fields.ids("connected_gateway_ids"));
            });
            case "request_connection" -> Decoding.decode(event, payload, json -> {
                JsonFields fields = JsonFields.of(json, "");
                JsonFields clientPayload = fields.object("client_payload");
                JsonFields domain = clientPayload.optionalObject("domain");
                return new ClientOutbound.RequestConnection(fields.id("gateway_id"), fields.id("resource_id"),
                        fields.key32Secret("client_preshared_key"),
                        ValueCodec.readIceCredentials(clientPayload.object("ice_parameters")),
                        domain == null ? null : ValueCodec.readResolveRequest(domain));
            });
            case "reuse_connection" -> Decoding.decode(event, payload, json -> {
                JsonFields fields = JsonFields.of(json, "");
                JsonFields domain = fields.optionalObject("payload");
                return new ClientOutbound.ReuseConnection(fields.id("resource_id"), fields.id("gateway_id"),
                        domain == null ? null : ValueCodec.readResolveRequest(domain));
            });
            case "broadcast_ice_candidates" -> Decoding.decode(event, payload, json -> {
                JsonFields fields = JsonFields.of(json, "");
                return new ClientOutbound.BroadcastIceCandidates(fields.ids("gateway_ids"), fields.strings("candidates"));
            });
            case "broadcast_invalidated_ice_candidates" -> Decoding.decode(event, payload, json -> {
                JsonFields fields = JsonFields.of(json, "");
                return new ClientOutbound.BroadcastInvalidatedIceCandidates(fields.ids("gateway_ids"), fields.strings("candidates"));
            });
            case "create_flow" -> Decoding.decode(event, payload, json -> {
                JsonFields fields = JsonFields.of(json, "");
                return new ClientOutbound.CreateFlow(fields.id("resource_id"), fields.ids("connected_gateway_ids"));
            });
            default -> new Decoded.UnknownEvent<>(event);
        };
    }

    public static PortalMessage encode(ClientOutbound message) {
        return switch (message) {
            case ClientOutbound.PrepareConnection prepare -> new PortalMessage("prepare_connection",
                    resourceAndGateways(prepare.resourceId(), prepare.connectedGatewayIds()));
            case ClientOutbound.RequestConnection request -> {
                ObjectNode json = PortalJson.object();
                json.put("gateway_id", request.gatewayId().toString());
                json.put("resource_id", request.resourceId().toString());
                json.put("client_preshared_key", request.clientPresharedKey().exposeBase64());
                ObjectNode clientPayload = json.putObject("client_payload");
                clientPayload.set("ice_parameters", ValueCodec.writeIceCredentials(request.iceParameters()));
                putResolveRequest(clientPayload, "domain", request.domain());
                yield new PortalMessage("request_connection", json);
            }
            case ClientOutbound.ReuseConnection reuse -> {
                ObjectNode json = PortalJson.object();
                json.put("resource_id", reuse.resourceId().toString());
                json.put("gateway_id", reuse.gatewayId().toString());
                putResolveRequest(json, "payload", reuse.payload());
                yield new PortalMessage("reuse_connection", json);
            }
            case ClientOutbound.BroadcastIceCandidates broadcast -> new PortalMessage("broadcast_ice_candidates",
                    gatewaysCandidates(broadcast.gatewayIds(), broadcast.candidates()));
            case ClientOutbound.BroadcastInvalidatedIceCandidates broadcast -> new PortalMessage("broadcast_invalidated_ice_candidates",
                    gatewaysCandidates(broadcast.gatewayIds(), broadcast.candidates()));
            case ClientOutbound.CreateFlow create -> new PortalMessage("create_flow",
                    resourceAndGateways(create.resourceId(), create.connectedGatewayIds()));
        };
    }

    // Replies to the client's requests (the "response" of a phx_reply).

    public static Decoded<ConnectionDetails> decodeConnectionDetails(JsonNode response) {
        return Decoding.decode("prepare_connection reply", response, json -> {
            JsonFields fields = JsonFields.of(json, "");
            return new ConnectionDetails(fields.id("resource_id"), fields.id("gateway_id"), fields.id("gateway_group_id"),
                    fields.ip("gateway_remote_ip"));
        });
    }

    public static JsonNode encode(ConnectionDetails details) {
        return PortalJson.object()
                .put("resource_id", details.resourceId().toString())
                .put("gateway_id", details.gatewayId().toString())
                .put("gateway_group_id", details.siteId().toString())
                .put("gateway_remote_ip", IpLiterals.format(details.gatewayRemoteIp()));
    }

    public static Decoded<Connect> decodeConnect(JsonNode response) {
        return Decoding.decode("request_connection reply", response, json -> {
            JsonFields fields = JsonFields.of(json, "");
            return new Connect(fields.id("resource_id"), fields.publicKey("gateway_public_key"),
                    fields.integer("persistent_keepalive", 0, Long.MAX_VALUE),
                    ValueCodec.readGatewayResponse(fields.object("gateway_payload")));
        });
    }

    public static JsonNode encode(Connect connect) {
        ObjectNode json = PortalJson.object();
        json.put("resource_id", connect.resourceId().toString());
        json.set("persistent_keepalive", ValueCodec.number(connect.persistentKeepalive()));
        json.put("gateway_public_key", connect.gatewayPublicKey().toBase64());
        json.set("gateway_payload", ValueCodec.writeGatewayResponse(connect.gatewayPayload()));
        return json;
    }

    public static Decoded<ErrorReply> decodeErrorReply(JsonNode response) {
        return Decoding.decode("error reply", response, json -> {
            JsonFields fields = JsonFields.of(json, "");
            return new ErrorReply(fields.text("reason"), fields.optionalList("violated_properties", JsonFields::asText));
        });
    }

    public static JsonNode encode(ErrorReply reply) {
        ObjectNode json = PortalJson.object().put("reason", reply.reason());
        if (!reply.violatedProperties().isEmpty()) {
            json.set("violated_properties", ValueCodec.strings(reply.violatedProperties()));
        }
        return json;
    }

    // Resources.

    static ClientResource readResource(JsonFields json) {
        String type = json.text("type");
        return switch (type) {
            case "dns" -> new ClientResource.Dns(json.id("id"), json.text("address"), json.text("name"),
                    json.optionalText("address_description"), json.objects("gateway_groups", ValueCodec::readSite),
                    json.optionalObjects("filters", ValueCodec::readFilter));
            case "cidr" -> new ClientResource.Cidr(json.id("id"), json.network("address"), json.text("name"),
                    json.optionalText("address_description"), json.objects("gateway_groups", ValueCodec::readSite),
                    json.optionalObjects("filters", ValueCodec::readFilter));
            case "internet" -> new ClientResource.Internet(json.id("id"),
                    json.has("name") ? json.text("name") : ClientResource.Internet.DEFAULT_NAME,
                    json.objects("gateway_groups", ValueCodec::readSite),
                    json.has("can_be_disabled") && json.bool("can_be_disabled"));
            default -> new ClientResource.Unknown(type);
        };
    }

    static ObjectNode writeResource(ClientResource resource) {
        ObjectNode json = PortalJson.object();
        switch (resource) {
            case ClientResource.Dns dns -> {
                json.put("id", dns.id().toString()).put("type", "dns").put("address", dns.address()).put("name", dns.name());
                json.put("address_description", dns.addressDescription());
                json.set("gateway_groups", ValueCodec.writeSites(dns.sites()));
                json.set("filters", ValueCodec.writeFilters(dns.filters()));
            }
            case ClientResource.Cidr cidr -> {
                json.put("id", cidr.id().toString()).put("type", "cidr").put("address", cidr.address().toString()).put("name", cidr.name());
                json.put("address_description", cidr.addressDescription());
                json.set("gateway_groups", ValueCodec.writeSites(cidr.sites()));
                json.set("filters", ValueCodec.writeFilters(cidr.filters()));
            }
            case ClientResource.Internet internet -> {
                json.put("id", internet.id().toString()).put("type", "internet").put("name", internet.name());
                json.set("gateway_groups", ValueCodec.writeSites(internet.sites()));
                json.put("can_be_disabled", internet.canBeDisabled());
            }
            case ClientResource.Unknown unknown -> json.put("type", unknown.type());
        }
        return json;
    }

    private static ClientInbound.Init readInit(JsonFields json) {
        return new ClientInbound.Init(ValueCodec.readInterface(json.object("interface")),
                json.optionalObjects("resources", ClientMessages::readResource),
                json.optionalObjects("relays", ValueCodec::readRelay));
    }

    private static ClientInbound.FlowCreated readFlowCreated(JsonFields json) {
        return new ClientInbound.FlowCreated(json.id("resource_id"), json.id("gateway_id"), json.id("gateway_group_id"),
                json.publicKey("gateway_public_key"), json.key32Secret("preshared_key"),
                ValueCodec.readIceCredentials(json.object("client_ice_credentials")),
                ValueCodec.readIceCredentials(json.object("gateway_ice_credentials")));
    }

    private static ArrayNode writeResources(List<ClientResource> resources) {
        ArrayNode array = PortalJson.array();
        resources.forEach(resource -> array.add(writeResource(resource)));
        return array;
    }

    private static ObjectNode gatewayCandidates(UUID gatewayId, List<String> candidates) {
        ObjectNode json = PortalJson.object().put("gateway_id", gatewayId.toString());
        json.set("candidates", ValueCodec.strings(candidates));
        return json;
    }

    private static ObjectNode gatewaysCandidates(List<UUID> gatewayIds, List<String> candidates) {
        ObjectNode json = PortalJson.object();
        json.set("gateway_ids", ValueCodec.ids(gatewayIds));
        json.set("candidates", ValueCodec.strings(candidates));
        return json;
    }

    private static ObjectNode resourceAndGateways(UUID resourceId, List<UUID> gatewayIds) {
        ObjectNode json = PortalJson.object().put("resource_id", resourceId.toString());
        json.set("connected_gateway_ids", ValueCodec.ids(gatewayIds));
        return json;
    }

    private static void putResolveRequest(ObjectNode json, String field, ResolveRequest request) {
        if (request == null) {
            json.putNull(field);
        } else {
            json.set(field, ValueCodec.writeResolveRequest(request));
        }
    }
}
