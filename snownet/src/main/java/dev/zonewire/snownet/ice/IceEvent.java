package dev.zonewire.snownet.ice;

import java.net.InetSocketAddress;

/** What an {@link IceAgent} tells its owner. */
public sealed interface IceEvent {

    /**
     * Send application data from {@code localBase} to {@code remote} from now on. Comes again
     * whenever the nominated pair changes.
     */
    record Nominated(InetSocketAddress localBase, InetSocketAddress remote) implements IceEvent {
    }

    /**
     * The nominated pair is gone: it stopped answering, or one of its candidates was invalidated.
     * A {@link Nominated} follows if another pair can take over.
     */
    record NominationLost(InetSocketAddress localBase, InetSocketAddress remote) implements IceEvent {
    }

    /** An authenticated check arrived from {@code remote} on {@code local}: data from there is the peer's. */
    record RemoteAddressSeen(InetSocketAddress remote, InetSocketAddress local) implements IceEvent {
    }

    record StateChanged(IceState state) implements IceEvent {
    }
}
