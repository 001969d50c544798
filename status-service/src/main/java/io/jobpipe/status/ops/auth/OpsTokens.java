package io.jobpipe.status.ops.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The ops API's bearer tokens, from {@code jobpipe.ops.tokens}: a comma-separated list of {@code name:role:token}.
 * Pure. A presented token is compared with every configured one in constant time (SHA-256 digests of equal length,
 * {@link MessageDigest#isEqual}, no early exit), so the answer's timing says nothing about how close a guess was.
 */
public final class OpsTokens {
    private final List<Entry> entries;

    private record Entry(OpsCaller caller, byte[] digest) {
    }

    private OpsTokens(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * @throws IllegalArgumentException naming the bad entry (never its token) when the list is malformed
     */
    public static OpsTokens parse(String spec) {
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> tokens = new HashSet<>();
        if (spec == null || spec.isBlank()) {
            return new OpsTokens(entries);
        }
        int index = 0;
        for (String item : spec.split(",")) {
            index++;
            if (item.isBlank()) {
                continue;
            }
            String[] parts = item.trim().split(":", 3);
            if (parts.length != 3 || parts[0].isBlank() || parts[2].isBlank()) {
                throw new IllegalArgumentException("jobpipe.ops.tokens entry " + index
                        + " is not name:role:token (role read or operate)");
            }
            String name = parts[0].trim();
            OpsRole role = OpsRole.parse(parts[1]);
            if (role == null) {
                throw new IllegalArgumentException("jobpipe.ops.tokens entry " + index + " (" + name
                        + ") has role '" + parts[1].trim() + "'; the roles are read and operate");
            }
            String token = parts[2].trim();
            if (!names.add(name)) {
                throw new IllegalArgumentException("jobpipe.ops.tokens names '" + name + "' twice");
            }
            if (!tokens.add(token)) {
                throw new IllegalArgumentException("jobpipe.ops.tokens entry " + index + " (" + name
                        + ") repeats the token of an earlier entry");
            }
            entries.add(new Entry(new OpsCaller(name, role), digest(token)));
        }
        return new OpsTokens(entries);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public int size() {
        return entries.size();
    }

    /** The caller whose token is {@code presented}, or empty. */
    public Optional<OpsCaller> find(String presented) {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        byte[] digest = digest(presented);
        OpsCaller found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.digest(), digest)) {
                found = entry.caller();
            }
        }
        return Optional.ofNullable(found);
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
