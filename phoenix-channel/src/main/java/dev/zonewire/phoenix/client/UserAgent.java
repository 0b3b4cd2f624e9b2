package dev.zonewire.phoenix.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The User-Agent header of spec 1.2. The portal reads the component's version from the first
 * {@code connlib/} or {@code relay/} token, so that token must always be there.
 */
public final class UserAgent {
    private UserAgent() {}

    /** {@code relay/<version>}. */
    public static String relay(String version) {
        return "relay/" + requireVersion(version);
    }

    /**
     * {@code <os_type>/<os_version> connlib/<version>[ (<arch>; <kernel>)]}, for clients and
     * gateways; the parenthesised part lists whichever of arch and kernel are known.
     */
    public static String connlib(String osType, String osVersion, String version, Optional<String> arch, Optional<String> kernel) {
        var agent = new StringBuilder()
                .append(osType).append('/').append(osVersion)
                .append(" connlib/").append(requireVersion(version));
        if (arch.isPresent() || kernel.isPresent()) {
            agent.append(" (");
            arch.ifPresent(agent::append);
            if (arch.isPresent() && kernel.isPresent()) {
                agent.append("; ");
            }
            kernel.ifPresent(agent::append);
            agent.append(')');
        }
        return agent.toString();
    }

    /** The connlib User-Agent of this machine: distribution from /etc/os-release, kernel release, arch. */
    public static String connlibForThisHost(String version) {
        String osName = System.getProperty("os.name", "unknown");
        boolean linux = osName.toLowerCase(Locale.ROOT).startsWith("linux");
        String[] distribution = linux ? linuxDistribution(Path.of("/etc/os-release")) : new String[] {osName, "unknown"};
        Optional<String> kernel = linux ? Optional.ofNullable(System.getProperty("os.version")) : Optional.empty();
        return connlib(distribution[0], distribution[1], version, Optional.of(rustArch(System.getProperty("os.arch", ""))), kernel);
    }

    /** {@code {name, version}} from an os-release file, e.g. {@code {"Ubuntu", "22.04"}}. */
    static String[] linuxDistribution(Path osRelease) {
        String name = "Linux";
        String version = "unknown";
        try {
            for (String line : Files.readAllLines(osRelease)) {
                if (line.startsWith("NAME=")) {
                    name = unquote(line.substring(5)).replace(" GNU/Linux", "").replace(' ', '_');
                } else if (line.startsWith("VERSION_ID=")) {
                    version = unquote(line.substring(11));
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // An unknown distribution is still a valid User-Agent: the portal only reads the connlib token.
        }
        return new String[] {name, version};
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }

    /** Rust names architectures as std::env::consts::ARCH does; the JDK says amd64 for x86_64. */
    private static String rustArch(String javaArch) {
        return switch (javaArch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            case "x86", "i386", "i686" -> "x86";
            default -> javaArch;
        };
    }

    private static String requireVersion(String version) {
        if (version == null || version.isBlank() || version.contains(" ")) {
            throw new IllegalArgumentException("a component version is one word, e.g. 1.4.2");
        }
        return version;
    }
}
