package dev.zonewire.snownet.sim;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A NAT in front of one host, in the RFC 4787 terms the system tests use: endpoint-independent
 * mapping and filtering (a full cone), endpoint-independent mapping with address-and-port-dependent
 * filtering (port-restricted, like Linux masquerade with unsolicited packets dropped), or
 * endpoint-dependent mapping and filtering (symmetric, like {@code masquerade random}). Public
 * ports are drawn at random.
 */
public final class Nat implements SimNetwork.Endpoint {

    public enum Kind {
        ENDPOINT_INDEPENDENT,
        PORT_RESTRICTED,
        SYMMETRIC
    }

    private record MappingKey(InetSocketAddress inside, InetSocketAddress destination) {
    }

    private static final class Mapping {
        final InetSocketAddress inside;
        final Set<InetSocketAddress> contacted = new HashSet<>();

        Mapping(InetSocketAddress inside) {
            this.inside = inside;
        }
    }

    public final Kind kind;
    private InetAddress publicIp;
    private final SimNetwork network;
    private final SimNetwork.Endpoint inside;
    private final Map<MappingKey, Integer> ports = new HashMap<>();
    private final Map<Integer, Mapping> mappings = new HashMap<>();
    public long filtered;

    public Nat(Kind kind, InetAddress publicIp, SimNetwork network, SimNetwork.Endpoint inside) {
        this.kind = kind;
        this.publicIp = publicIp;
        this.network = network;
        this.inside = inside;
        network.attach(publicIp, this);
    }

    public InetAddress publicIp() {
        return publicIp;
    }

    /** Sends a datagram from the inside host through the NAT. */
    public void sendOut(InetSocketAddress from, InetSocketAddress to, byte[] bytes, long now) {
        MappingKey key = new MappingKey(from, kind == Kind.SYMMETRIC ? to : null);
        Integer port = ports.get(key);
        if (port == null) {
            do {
                port = 1024 + network.random.nextInt(64_000);
            } while (mappings.containsKey(port));
            ports.put(key, port);
            mappings.put(port, new Mapping(from));
        }
        mappings.get(port).contacted.add(to);
        network.send(new InetSocketAddress(publicIp, port), to, bytes, now);
    }

    @Override
    public void receive(InetSocketAddress from, InetSocketAddress to, byte[] bytes, long now) {
        Mapping mapping = mappings.get(to.getPort());
        if (mapping == null || kind != Kind.ENDPOINT_INDEPENDENT && !mapping.contacted.contains(from)) {
            filtered++;
            return;
        }
        inside.receive(from, mapping.inside, bytes, now);
    }

    /** The NAT comes back with a new public address and no mappings, as after an ISP re-addressing. */
    public void renumber(InetAddress newPublicIp) {
        network.detach(publicIp);
        publicIp = newPublicIp;
        network.attach(newPublicIp, this);
        ports.clear();
        mappings.clear();
    }
}
