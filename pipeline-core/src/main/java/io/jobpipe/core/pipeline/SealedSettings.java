package io.jobpipe.core.pipeline;

import io.jobpipe.core.event.AgentSpec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Keeps inline secrets and URLs of a stage's agent out of Kafka records. The orchestrator puts a <em>sealed</em>
 * {@link AgentSpec} into every {@code StageRequested} (and so into dead letters): a URL target, and every settings
 * value under a key named {@code secret}, {@code password}, {@code token} or {@code url} (or ending so, as in
 * {@code signingSecret}, {@code webhookUrl}), becomes {@code sealed:#<fingerprint>} ({@code sealed:<origin>#<fingerprint>}
 * for a URL). The worker, which loads the same pipeline file, takes the plain values from its own catalog, and only
 * where its own value seals to the very same string: a worker whose file differs fails the stage for good instead of
 * calling with another secret. The fingerprint is the first 48 bits of a salted SHA-256: it tells two values apart
 * and shows nothing of a random secret, but a guessable secret can be confirmed against it, which is why
 * {@code secretEnv} (the worker's own environment) is the way to give secrets that matter. Pure.
 */
public final class SealedSettings {
    public static final String PREFIX = "sealed:";
    private static final byte[] SALT = "jobpipe sealed setting v1\n".getBytes(StandardCharsets.UTF_8);
    private static final int FINGERPRINT_BYTES = 6;

    /** The worker's value of a sealed setting is not the orchestrator's; the message names where. */
    public static final class Mismatch extends IllegalArgumentException {
        Mismatch(String message) {
            super(message);
        }
    }

    private SealedSettings() {
    }

    /** {@code spec} with its URL target and its secret and URL settings sealed; the same spec when it has none. */
    public static AgentSpec seal(AgentSpec spec) {
        String target = AgentSpec.isUrl(spec.target()) ? sealUrl(spec.target()) : spec.target();
        @SuppressWarnings("unchecked")
        Map<String, Object> settings = (Map<String, Object>) sealed(spec.settings(), null);
        return new AgentSpec(spec.kind(), target, settings);
    }

    /** Whether a record's spec carries sealed values, which only the worker's own catalog can open. */
    public static boolean isSealed(AgentSpec spec) {
        return isSealedValue(spec.target()) || containsSealed(spec.settings());
    }

    /**
     * The spec to run: {@code received} (the orchestrator's, authoritative for everything in clear) with each sealed
     * value replaced by the worker's own plain value at the same place.
     *
     * @param local       the worker's spec of the same stage, from its pipeline file
     * @param localSealed {@code seal(local)}, computed once
     * @throws Mismatch where a sealed value is not what the worker's own value seals to
     */
    public static AgentSpec unseal(AgentSpec received, AgentSpec local, AgentSpec localSealed) {
        if (!received.kind().equals(local.kind())) {
            throw new Mismatch("the agent kind is '" + received.kind() + "' in the orchestrator's pipeline file and '"
                    + local.kind() + "' in this worker's");
        }
        String target = received.target();
        if (isSealedValue(target)) {
            if (!target.equals(localSealed.target())) {
                throw new Mismatch("the agent's URL differs between the orchestrator's pipeline file ("
                        + target + ") and this worker's (" + localSealed.target() + ")");
            }
            target = local.target();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> settings = (Map<String, Object>) unsealed(received.settings(), local.settings(),
                localSealed.settings(), "settings");
        return new AgentSpec(received.kind(), target, settings);
    }

    static boolean isSecretKey(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return lower.endsWith("secret") || lower.endsWith("password") || lower.endsWith("token");
    }

    static boolean isUrlKey(String key) {
        return key.toLowerCase(Locale.ROOT).endsWith("url");
    }

    private static boolean isSealedValue(Object value) {
        return value instanceof String text && text.startsWith(PREFIX);
    }

    private static Object sealed(Object value, String key) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), sealed(v, String.valueOf(k))));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(item -> out.add(sealed(item, key)));
            return out;
        }
        if (value instanceof String text && key != null && !text.isBlank() && !isSealedValue(text)) {
            if (isUrlKey(key)) {
                return sealUrl(text);
            }
            if (isSecretKey(key)) {
                return PREFIX + "#" + fingerprint(text);
            }
        }
        return value;
    }

    private static String sealUrl(String url) {
        return PREFIX + AgentSpec.originOf(url) + "#" + fingerprint(url);
    }

    private static boolean containsSealed(Object value) {
        if (value instanceof Map<?, ?> map) {
            return map.values().stream().anyMatch(SealedSettings::containsSealed);
        }
        if (value instanceof List<?> list) {
            return list.stream().anyMatch(SealedSettings::containsSealed);
        }
        return isSealedValue(value);
    }

    private static Object unsealed(Object received, Object local, Object localSealed, String path) {
        if (isSealedValue(received)) {
            if (!received.equals(localSealed)) {
                throw new Mismatch(path + " differs between the orchestrator's pipeline file and this worker's ("
                        + received + " there, " + (localSealed == null ? "nothing" : String.valueOf(localSealed))
                        + " here)");
            }
            return local;
        }
        if (received instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k),
                    unsealed(v, child(local, k), child(localSealed, k), path + "." + k)));
            return out;
        }
        if (received instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                out.add(unsealed(list.get(i), item(local, i), item(localSealed, i), path + "[" + i + "]"));
            }
            return out;
        }
        return received;
    }

    private static Object child(Object parent, Object key) {
        return parent instanceof Map<?, ?> map ? map.get(key) : null;
    }

    private static Object item(Object parent, int index) {
        return parent instanceof List<?> list && index < list.size() ? list.get(index) : null;
    }

    /** 12 hex digits of SHA-256(salt, value): the same for the same value, on every machine. */
    static String fingerprint(String value) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(SALT);
            byte[] digest = sha256.digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, FINGERPRINT_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
