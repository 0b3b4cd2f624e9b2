package dev.zonewire.wireguard.linux;

/** An interface {@link WgQuick#up} brought up; closing it takes it down. */
public final class WgQuickInterface implements AutoCloseable {
    private final WireGuardDevice device;

    WgQuickInterface(WireGuardDevice device) {
        this.device = device;
    }

    public WireGuardDevice device() {
        return device;
    }

    /** Waits until the interface is asked to stop (see {@link WireGuardDevice#awaitStop()}) and returns why. */
    public String awaitStop() throws InterruptedException {
        return device.awaitStop();
    }

    /** Stops the device; the interface, its addresses and routes disappear with it. */
    @Override
    public void close() {
        device.close();
    }
}
