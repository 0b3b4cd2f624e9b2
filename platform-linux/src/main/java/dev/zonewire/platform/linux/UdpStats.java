package dev.zonewire.platform.linux;

/**
 * Counters of a {@link UdpSocket} since it was opened; a GSO or GRO slot counts each datagram.
 *
 * @param datagramsReceived datagrams handed to the caller
 * @param datagramsSent datagrams the kernel took
 * @param receivesDropped datagrams cut short because they did not fit their slot
 * @param sendsFailed datagrams the kernel refused (unreachable network, too large, a firewall)
 * @param lastSendErrno the errno of the latest refusal, 0 if none
 */
public record UdpStats(long datagramsReceived, long datagramsSent, long receivesDropped, long sendsFailed,
        int lastSendErrno) {
}
