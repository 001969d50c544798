package io.jobpipe.support.callback;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The secret shared by the workers that issue callback URLs and the ingest replicas that take them
 * ({@code jobpipe.callbacks.*}). Only read where callbacks are on; {@link #tokens(String)} then refuses a missing or
 * short secret with a message naming the setting.
 *
 * @param secret         {@code JOBPIPE_CALLBACK_SECRET}: signs new tokens; at least 32 bytes, the same on every
 *                       worker and ingest replica
 * @param previousSecret {@code JOBPIPE_CALLBACK_PREVIOUS_SECRET}: the secret before the last rotation; its tokens
 *                       are still taken, none are issued with it
 */
@ConfigurationProperties("jobpipe.callbacks")
public record CallbackSecretProperties(@Nullable String secret, @Nullable String previousSecret) {
    static final String SECRET = "jobpipe.callbacks.secret (JOBPIPE_CALLBACK_SECRET)";
    static final String PREVIOUS = "jobpipe.callbacks.previous-secret (JOBPIPE_CALLBACK_PREVIOUS_SECRET)";

    /**
     * The token signer and checker these secrets make.
     *
     * @param why why callbacks are on here, for the message when the secret is missing
     *            (e.g. {@code "jobpipe.worker.callbacks.public-base-url is set"})
     * @throws IllegalStateException naming the setting to fix
     */
    public CallbackTokens tokens(String why) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalStateException(SECRET + " is not set, but callbacks are on (" + why + "): set it to a "
                    + "random secret of at least " + CallbackTokens.MIN_SECRET_BYTES + " bytes, the same on every "
                    + "worker and ingest replica (e.g. `openssl rand -base64 48`)");
        }
        byte[] current = bytes(secret, SECRET);
        List<byte[]> previous = previousSecret == null || previousSecret.isBlank() ? List.of()
                : List.of(bytes(previousSecret, PREVIOUS));
        return new CallbackTokens(current, previous);
    }

    private static byte[] bytes(String value, String setting) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < CallbackTokens.MIN_SECRET_BYTES) {
            throw new IllegalStateException(setting + " is " + bytes.length + " bytes; it must be at least "
                    + CallbackTokens.MIN_SECRET_BYTES + " (e.g. `openssl rand -base64 48`)");
        }
        return bytes;
    }

    @Override
    public String toString() {
        return "CallbackSecretProperties[secret=<secret>, previousSecret=" + (previousSecret == null ? "none" : "<secret>")
                + "]";
    }
}
