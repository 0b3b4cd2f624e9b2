package dev.zonewire.phoenix.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Prepares and runs the node script under src/test/node: its package.json and package-lock.json
 * are copied to target/node-interop and installed there with {@code npm ci} when node_modules is
 * missing, so a fresh checkout needs only node, npm and the npm registry.
 */
final class NodeInterop {
    private static final Path SOURCES = Path.of("src/test/node");
    private static final Path WORK = Path.of("target/node-interop");

    record Run(int exitCode, String output) {}

    private NodeInterop() {}

    static synchronized Path prepare() throws IOException, InterruptedException {
        Files.createDirectories(WORK);
        for (String file : List.of("package.json", "package-lock.json", "interop.mjs")) {
            Files.copy(SOURCES.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(WORK.resolve("node_modules/phoenix")) || !Files.isDirectory(WORK.resolve("node_modules/ws"))) {
            Run install = run(List.of("npm", "ci", "--no-audit", "--no-fund"), 180);
            if (install.exitCode() != 0) {
                throw new IllegalStateException("npm ci failed (exit " + install.exitCode() + "):\n" + install.output());
            }
        }
        return WORK;
    }

    static Run node(String... args) throws IOException, InterruptedException {
        var command = new java.util.ArrayList<>(List.of("node", "interop.mjs"));
        command.addAll(List.of(args));
        return run(command, 30);
    }

    private static Run run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
            }
            return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
        }
    }
}
