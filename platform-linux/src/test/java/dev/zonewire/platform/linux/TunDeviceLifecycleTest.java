package dev.zonewire.platform.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Opening, attaching, closing and refusals of a TUN device. */
@Timeout(30)
class TunDeviceLifecycleTest {
    private TestNamespace namespace;

    @BeforeEach
    void createNamespace() throws IOException {
        namespace = TestNamespace.create();
    }

    @AfterEach
    void deleteNamespace() throws IOException {
        namespace.close();
    }

    @Test
    void closingWakesAReaderBlockedOnAnIdleDevice() throws Exception {
        TunDevice tun = namespace.call(() -> TunDevice.open(TunOptions.named("zw-plt-life0")));
        try (PacketBatch batch = PacketBatch.allocate(8, 1500)) {
            CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
                try {
                    return tun.read(batch);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(200);
            assertThat(reader).isNotDone();

            tun.close();

            assertThatThrownBy(() -> reader.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasRootCauseInstanceOf(AsynchronousCloseException.class);
            assertThat(tun.isOpen()).isFalse();
        }
    }

    @Test
    void deletingTheInterfaceWakesItsReaderWithEbadfd() throws Exception {
        try (TunDevice tun = namespace.call(() -> TunDevice.open(TunOptions.named("zw-plt-life0")));
                Rtnetlink netlink = namespace.call(Rtnetlink::open);
                PacketBatch batch = PacketBatch.allocate(8, 1500)) {
            CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
                try {
                    return tun.read(batch);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(200);

            netlink.deleteLink(tun.index());

            assertThatThrownBy(() -> reader.get(5, TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(ErrnoException.class)
                    .rootCause().hasMessage("read from TUN zw-plt-life0: File descriptor in bad state (EBADFD)");
        }
    }

    @Test
    void aClosedDeviceRefusesReadsAndWritesAndClosesTwiceQuietly() throws Exception {
        TunDevice tun = namespace.call(() -> TunDevice.open(TunOptions.named("zw-plt-life0")));
        tun.close();
        tun.close();

        try (PacketBatch batch = PacketBatch.allocate(1, 1500)) {
            assertThatThrownBy(() -> tun.read(batch)).isInstanceOf(ClosedChannelException.class);
            assertThatThrownBy(() -> tun.write(batch)).isInstanceOf(ClosedChannelException.class);
        }
    }

    @Test
    void theInterfaceGoesAwayWithItsDescriptor() throws Exception {
        TunDevice tun = namespace.call(() -> TunDevice.open(TunOptions.named("zw-plt-life0")));
        assertThat(namespace.run("ip", "-br", "link")).contains("zw-plt-life0");

        tun.close();

        assertThat(namespace.run("ip", "-br", "link")).doesNotContain("zw-plt-life0");
    }

    @Test
    void aSecondOpenOfASingleQueueDeviceFailsWithEbusy() throws Exception {
        try (TunDevice first = namespace.call(() -> TunDevice.open(TunOptions.named("zw-plt-life0")))) {
            assertThatThrownBy(() -> namespace.call(() -> TunDevice.open(TunOptions.named("zw-plt-life0"))))
                    .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBUSY))
                    .hasMessage("create or attach TUN interface zw-plt-life0 (TUNSETIFF): "
                            + "Device or resource busy (EBUSY)");
            assertThat(first.isOpen()).isTrue();
        }
    }

    @Test
    void multiQueueOpensAttachQueuesToTheSameInterface() throws Exception {
        TunOptions options = TunOptions.named("zw-plt-life0").withMultiQueue(true);
        try (TunDevice first = namespace.call(() -> TunDevice.open(options));
                TunDevice second = namespace.call(() -> TunDevice.open(options))) {
            assertThat(second.index()).isEqualTo(first.index());
            assertThat(second.name()).isEqualTo("zw-plt-life0");
        }
    }

    @Test
    void theKernelPicksTheNumberOfATemplateName() throws Exception {
        try (TunDevice tun = namespace.call(() -> TunDevice.open(TunOptions.named("zw-plt-%d")))) {
            assertThat(tun.name()).matches("zw-plt-\\d+");
            assertThat(namespace.run("ip", "-br", "link")).contains(tun.name());
        }
    }

    @Test
    void anOffloadDeviceOpensWithItsOptions() throws Exception {
        TunOptions options = TunOptions.named("zw-plt-life0").withOffload(true);
        try (TunDevice tun = namespace.call(() -> TunDevice.open(options))) {
            assertThat(tun.options()).isEqualTo(options);
        }
    }

    @Test
    void bytesThatAreNotAnIpPacketAreRefusedWithEinval() throws Exception {
        try (TunDevice tun = namespace.call(() -> TunDevice.open(TunOptions.named("zw-plt-life0")))) {
            namespace.run("ip", "link", "set", "zw-plt-life0", "up");
            MemorySegment garbage = MemorySegment.ofArray(new byte[] {0x12, 0x34, 0x56});

            assertThatThrownBy(() -> tun.write(garbage))
                    .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL))
                    .hasMessage("write to TUN zw-plt-life0: Invalid argument (EINVAL)");
        }
    }

    @Test
    void aBatchWriteCountsRefusedPacketsAndGoesOn() throws Exception {
        try (TunDevice tun = namespace.call(() -> TunDevice.open(TunOptions.named("zw-plt-life0")));
                PacketBatch batch = PacketBatch.allocate(2, 1500)) {
            namespace.run("ip", "link", "set", "zw-plt-life0", "up");
            batch.add(MemorySegment.ofArray(new byte[] {0x12, 0x34, 0x56}));
            batch.add(MemorySegment.ofArray(new byte[] {0x00}));

            assertThat(tun.write(batch)).isZero();

            assertThat(tun.stats().writesRejected()).isEqualTo(2);
        }
    }

    @Test
    void aMissingDeviceNodeIsCreatedAsTheReferenceDoes(@TempDir Path directory) throws Exception {
        Path device = directory.resolve("net").resolve("tun");

        try (TunDevice tun = namespace.call(() -> TunDevice.open(TunOptions.named("zw-plt-life0"), device))) {
            assertThat(tun.isOpen()).isTrue();
            assertThat((int) Files.getAttribute(device, "unix:mode") & 0170000).as("a character device").isEqualTo(0020000);
            assertThat((long) Files.getAttribute(device, "unix:rdev")).as("device 10:200").isEqualTo((10 << 8) | 200);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(device.getParent())))
                    .isEqualTo("rwxr-x--x");
        }
    }

    @Test
    void namesThatTheKernelWouldRefuseAreRefusedUpFront() {
        assertThatThrownBy(() -> TunOptions.named("zw-plt-much-too-long"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 to 15 bytes");
        assertThatThrownBy(() -> TunOptions.named("zw/0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot contain");
    }

    @Test
    void aMissingNamespaceFailsWithItsPathAndEnoent() {
        assertThatThrownBy(() -> NetworkNamespace.call("zw-plt-missing", () -> 1))
                .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT))
                .hasMessage("open network namespace /var/run/netns/zw-plt-missing: No such file or directory (ENOENT)");
    }
}
