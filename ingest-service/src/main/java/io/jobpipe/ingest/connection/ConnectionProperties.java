package io.jobpipe.ingest.connection;

import io.jobpipe.ingest.signature.UnsignedScheme;
import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;
import java.util.List;

/**
 * One {@code jobpipe.ingest.connections.<name>} entry: a URL ({@code POST /webhooks/<name>}) and how its senders
 * prove who they are. Which pipeline a job runs is not configured here but by the pipeline catalog's {@code routes}
 * (connection and event type to pipeline, {@code jobpipe.pipelines.file}), the one place the orchestrator reads it.
 *
 * @param scheme            the id of the scheme that verifies its requests: {@code github}, {@code slack},
 *                          {@code stripe}, {@code standard-webhooks}, {@code hmac}, or {@code none} (dev profile only)
 * @param enabled           a disabled connection answers 404, like one that does not exist
 * @param secrets           the signing secrets; several while one is rotated (any of them verifies). Set from the
 *                          environment as {@code JOBPIPE_INGEST_CONNECTIONS_<NAME>_SECRETS=s1,s2} or through a
 *                          {@code ${VARIABLE}} placeholder; never logged
 * @param tolerance         how far a signed timestamp may be from now (slack, stripe, standard-webhooks)
 * @param signatureHeader   scheme {@code hmac}: the header carrying the signature
 * @param signatureEncoding scheme {@code hmac}: {@code hex} or {@code base64}
 * @param signaturePrefix   scheme {@code hmac}: text before the signature in the header, e.g. {@code sha256=}
 * <p>The same entry's {@code content-types}, {@code max-body-bytes} and rates bind to
 * {@code ConnectionLimitsProperties}: the front door checks them before a body is read.
 */
@EachProperty("jobpipe.ingest.connections")
public record ConnectionProperties(
        @Parameter String name,
        @Bindable(defaultValue = UnsignedScheme.ID) String scheme,
        @Bindable(defaultValue = "true") boolean enabled,
        @Nullable List<String> secrets,
        @Bindable(defaultValue = "5m") Duration tolerance,
        @Bindable(defaultValue = "X-Signature") String signatureHeader,
        @Bindable(defaultValue = "hex") String signatureEncoding,
        @Nullable String signaturePrefix) {

    public ConnectionProperties {
        secrets = secrets == null ? List.of()
                : secrets.stream().filter(s -> s != null && !s.isBlank()).map(String::strip).toList();
        signaturePrefix = signaturePrefix == null ? "" : signaturePrefix;
        if (tolerance == null || tolerance.isNegative() || tolerance.isZero()) {
            throw new IllegalArgumentException("jobpipe.ingest.connections." + name + ".tolerance must be positive");
        }
    }

    /** A connection of {@code scheme} with {@code secrets} and every other setting at its default. */
    public static ConnectionProperties of(String name, String scheme, boolean enabled, String... secrets) {
        return new ConnectionProperties(name, scheme, enabled, List.of(secrets), Duration.ofMinutes(5), "X-Signature",
                "hex", "");
    }

    /** Secrets never reach a log line through this record. */
    @Override
    public String toString() {
        return "ConnectionProperties[name=" + name + ", scheme=" + scheme + ", enabled=" + enabled + ", secrets="
                + secrets.size() + " redacted, tolerance=" + tolerance + "]";
    }
}
