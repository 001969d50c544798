package io.jobpipe.runtime.supervisor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The callback secret {@code ./jobpipe up} gives ingest and the worker: made once per data directory (48 random bytes,
 * base64, readable by its owner only) and kept there, so callback URLs handed out before a restart still work after
 * it, and no two data directories share one.
 */
public final class DevCallbackSecret {
    static final String FILE = "callback-secret";
    private static final int RANDOM_BYTES = 48;

    private DevCallbackSecret() {
    }

    /** The secret of {@code dataDir}, made now if it has none. */
    public static String of(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (secret.length() < 32) {
                throw new IllegalStateException(file + " holds no usable callback secret (under 32 characters);"
                        + " delete it and a new one is made");
            }
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the callback secret " + file, e);
        }
    }

    private static void create(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] random = new byte[RANDOM_BYTES];
        new SecureRandom().nextBytes(random);
        Path temporary = Files.createTempFile(file.getParent(), FILE, ".tmp");
        try {
            restrictToOwner(temporary);
            Files.writeString(temporary, Base64.getEncoder().encodeToString(random) + "\n", StandardCharsets.UTF_8);
            // Two starts at once must agree on one secret: the first move wins, the second keeps the winner's.
            Files.move(temporary, file);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(temporary);
        }
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system (Windows): the data directory's own permissions apply.
        }
    }
}
