package dev.zonewire.cli;

/** Entry point of the zonewire command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(ZonewireCommand.run(args));
    }
}
