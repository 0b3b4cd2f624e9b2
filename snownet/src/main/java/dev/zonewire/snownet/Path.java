package dev.zonewire.snownet;

import java.net.InetSocketAddress;

/** How to reach a peer address: straight from one of our host addresses, or through one of our relays. */
sealed interface Path<R> permits Path.Direct, Path.Relayed {

    InetSocketAddress remote();

    /** Sent from {@code local}, a host address of ours. */
    record Direct<R>(InetSocketAddress local, InetSocketAddress remote, Encapsulated.Send send) implements Path<R> {
        Direct(InetSocketAddress local, InetSocketAddress remote) {
            this(local, remote, new Encapsulated.Send(local, remote));
        }
    }

    /** Framed as ChannelData for the peer and sent to the relay. */
    final class Relayed<R> implements Path<R> {
        final R relay;
        private final InetSocketAddress remote;
        private Encapsulated.Send send;

        Relayed(R relay, InetSocketAddress remote) {
            this.relay = relay;
            this.remote = remote;
        }

        @Override
        public InetSocketAddress remote() {
            return remote;
        }

        /** The reusable instruction to send to {@code server}, the relay's active address. */
        Encapsulated.Send sendVia(InetSocketAddress server) {
            if (send == null || !send.destination().equals(server)) {
                send = new Encapsulated.Send(null, server);
            }
            return send;
        }

        @Override
        public String toString() {
            return "Relayed[" + relay + " -> " + remote + "]";
        }
    }
}
