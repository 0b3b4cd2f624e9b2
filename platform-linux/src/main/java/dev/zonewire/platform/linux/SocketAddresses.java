package dev.zonewire.platform.linux;

import static dev.zonewire.platform.linux.Checksums.SHORT_BE;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** {@code sockaddr_in} and {@code sockaddr_in6} in native memory. */
final class SocketAddresses {
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCKADDR_IN_SIZE = 16;
    static final int SOCKADDR_IN6_SIZE = 28;
    /** Room for either kind, rounded up for alignment. */
    static final int MAX_SIZE = 32;

    private SocketAddresses() {
    }

    /** Writes {@code address}/{@code port} and returns the length to pass to the kernel. */
    static int write(MemorySegment destination, byte[] address, int port) {
        if (address.length == 4) {
            destination.asSlice(0, SOCKADDR_IN_SIZE).fill((byte) 0);
            destination.set(JAVA_SHORT, 0, (short) AF_INET);
            destination.set(SHORT_BE, 2, (short) port);
            MemorySegment.copy(address, 0, destination, JAVA_BYTE, 4, 4);
            return SOCKADDR_IN_SIZE;
        }
        if (address.length == 16) {
            destination.asSlice(0, SOCKADDR_IN6_SIZE).fill((byte) 0);
            destination.set(JAVA_SHORT, 0, (short) AF_INET6);
            destination.set(SHORT_BE, 2, (short) port);
            MemorySegment.copy(address, 0, destination, JAVA_BYTE, 8, 16);
            return SOCKADDR_IN6_SIZE;
        }
        throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + address.length);
    }

    static int write(MemorySegment destination, InetSocketAddress address) {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address " + address);
        }
        return write(destination, address.getAddress().getAddress(), address.getPort());
    }

    static int family(MemorySegment address) {
        return address.get(JAVA_SHORT, 0);
    }

    static int length(MemorySegment address) {
        return family(address) == AF_INET6 ? SOCKADDR_IN6_SIZE : SOCKADDR_IN_SIZE;
    }

    static int port(MemorySegment address) {
        return address.get(SHORT_BE, 2) & 0xffff;
    }

    /** Copies the address bytes into {@code destination} and returns how many: 4, 16, or 0 for no address. */
    static int copyAddress(MemorySegment address, byte[] destination) {
        return switch (family(address)) {
            case AF_INET -> {
                MemorySegment.copy(address, JAVA_BYTE, 4, destination, 0, 4);
                yield 4;
            }
            case AF_INET6 -> {
                MemorySegment.copy(address, JAVA_BYTE, 8, destination, 0, 16);
                yield 16;
            }
            default -> 0;
        };
    }

    static InetSocketAddress read(MemorySegment address) {
        byte[] bytes = new byte[16];
        int length = copyAddress(address, bytes);
        if (length == 0) {
            return null;
        }
        int scope = length == 16 ? address.get(JAVA_INT, 24) : 0;
        return new InetSocketAddress(inetAddress(bytes, 0, length, scope), port(address));
    }

    static InetAddress inetAddress(byte[] bytes, int offset, int length, int scope) {
        try {
            byte[] exact = Arrays.copyOfRange(bytes, offset, offset + length);
            return scope != 0 ? Inet6Address.getByAddress(null, exact, scope) : InetAddress.getByAddress(exact);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes always make an address", e);
        }
    }
}
