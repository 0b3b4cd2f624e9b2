package dev.zonewire.relay.daemon;

import dev.zonewire.common.Secret;
import dev.zonewire.stun.StampSecret;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.random.RandomGenerator;

/**
 * Keeps the stamp secret in {@code <state dir>/stamp-secret} (mode 0600), so that a restarted
 * relay keeps accepting the credentials the portal issued before the restart. The file is
 * written once, atomically, and never replaced; a file that exists but is not a stamp secret stops the relay rather
 * than being replaced, since replacing it would silently invalidate every credential.
 */
public final class StampSecretStore {
    static final String FILE_NAME = "stamp-secret";

    private StampSecretStore() {
    }

    /**
     * The relay's stamp secret: {@code given} if there is one, else the one kept in
     * {@code stateDir} (made there on first use), else a new one that lives in memory only.
     */
    public static StampSecret resolve(Secret given, Path stateDir, RandomGenerator random) throws IOException {
        if (given != null) {
            return StampSecret.of(given);
        }
        if (stateDir != null) {
            return loadOrCreate(stateDir, random);
        }
        return StampSecret.generate(random);
    }

    public static StampSecret loadOrCreate(Path stateDir, RandomGenerator random) throws IOException {
        Path file = stateDir.resolve(FILE_NAME);
        try {
            return Files.exists(file) ? read(file) : create(stateDir, file, random);
        } catch (FileSystemException e) {
            // The JDK's message is often just the path; say what failed and why.
            String reason = e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
            throw new IOException("cannot keep the stamp secret in " + stateDir + ": " + reason
                    + (e.getFile() != null && !e.getFile().equals(stateDir.toString()) ? " (" + e.getFile() + ")" : ""), e);
        }
    }

    private static StampSecret create(Path stateDir, Path file, RandomGenerator random) throws IOException {
        Files.createDirectories(stateDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        StampSecret secret = StampSecret.generate(random);
        Path temporary = Files.createTempFile(stateDir, FILE_NAME, ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (var channel = java.nio.channels.FileChannel.open(temporary, java.nio.file.StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(secret.text().bytes()));
                channel.force(true);
            }
            publish(temporary, file);
        } catch (FileAlreadyExistsException raced) {
            return read(file);
        } finally {
            Files.deleteIfExists(temporary);
        }
        return secret;
    }

    /**
     * Gives the written file its name unless that name exists already: another relay or
     * `relay credentials` that got there first wins, and its secret is the one to use. A hard
     * link is atomic and never replaces; where links are not supported, a move that refuses to
     * replace is the next best.
     */
    private static void publish(Path temporary, Path file) throws IOException {
        try {
            Files.createLink(file, temporary);
        } catch (FileAlreadyExistsException raced) {
            throw raced;
        } catch (UnsupportedOperationException | FileSystemException noLinks) {
            Files.move(temporary, file);
        }
    }

    private static StampSecret read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (!text.matches("[0-9a-f]{64}")) {
            throw new IOException(file + " does not hold a stamp secret (64 lowercase hex characters); "
                    + "remove it only if invalidating every issued credential is intended");
        }
        return StampSecret.of(Secret.of(text));
    }
}
