package io.jobpipe.status.artifact;

import io.jobpipe.status.config.ArtifactProperties;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Reads artifacts from the agents' workspace. A file is served only if its real path (links resolved) is inside the
 * workspace, and only if it still has the digest its stage reported: a file rewritten since (by a replay with other
 * input, or by hand) is refused rather than passed off as what the job wrote.
 */
@Singleton
public class ArtifactStore {
    private final Path root;
    private final long maxBytes;

    public ArtifactStore(ArtifactProperties properties) {
        this.root = Path.of(properties.root()).toAbsolutePath().normalize();
        this.maxBytes = properties.maxBytes();
    }

    /** What reading an artifact found. */
    public sealed interface Read {
        record Found(byte[] content) implements Read {
        }

        /** Not in the workspace (deleted, or this instance does not share the workers' workspace). */
        record Missing() implements Read {
        }

        record Changed(String sha256) implements Read {
        }

        record TooLarge(long bytes, long maxBytes) implements Read {
        }
    }

    public Read read(Artifact artifact) throws IOException {
        Path file = root.resolve(artifact.path()).normalize();
        Path real;
        try {
            Path realRoot = root.toRealPath();
            real = file.toRealPath();
            if (!real.startsWith(realRoot) || !Files.isRegularFile(real)) {
                return new Read.Missing();
            }
        } catch (NoSuchFileException e) {
            return new Read.Missing();
        }
        long size = Files.size(real);
        if (size > maxBytes) {
            return new Read.TooLarge(size, maxBytes);
        }
        byte[] content;
        try (InputStream in = Files.newInputStream(real)) {
            content = in.readNBytes((int) maxBytes + 1);
        }
        if (content.length > maxBytes) {
            return new Read.TooLarge(content.length, maxBytes);
        }
        String digest = sha256(content);
        return digest.equals(artifact.sha256()) ? new Read.Found(content) : new Read.Changed(digest);
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
