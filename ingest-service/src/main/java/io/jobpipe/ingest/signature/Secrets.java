package io.jobpipe.ingest.signature;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** The keys of a signed connection: one, or several while a secret is rotated (any of them verifies). */
public final class Secrets {
    private Secrets() {
    }

    static List<byte[]> required(List<byte[]> secrets) {
        if (secrets == null || secrets.isEmpty() || secrets.stream().anyMatch(s -> s == null || s.length == 0)) {
            throw new IllegalArgumentException("needs at least one non-empty secret");
        }
        return List.copyOf(secrets);
    }

    /** Secrets as people write them: their UTF-8 bytes (GitHub, Slack, Stripe, hmac). */
    public static List<byte[]> utf8(List<String> secrets) {
        return secrets.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
    }
}
