package dev.zonewire.platform.linux;

/**
 * Counters of a {@link TunDevice} since it was opened.
 *
 * @param packetsRead IP packets handed to the caller (segments of a super-packet count one each)
 * @param packetsWritten IP packets the kernel took
 * @param readsDropped packets read but not handed over: larger than the caller's buffer, or a
 *     super-packet with an inconsistent offload header
 * @param writesRejected packets the kernel refused (not IP, too large, interface down)
 * @param superPacketsRead offloaded TCP/UDP super-packets read and cut into {@code packetsRead}
 * @param superPacketsWritten super-packets written, each merged from several TCP segments
 */
public record TunStats(long packetsRead, long packetsWritten, long readsDropped, long writesRejected,
        long superPacketsRead, long superPacketsWritten) {
}
