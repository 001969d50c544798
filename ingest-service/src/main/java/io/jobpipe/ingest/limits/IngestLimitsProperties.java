package io.jobpipe.ingest.limits;

import io.jobpipe.ingest.request.JsonRules;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.util.List;

/**
 * The front door's defaults ({@code jobpipe.ingest.limits.*}); a connection overrides the per-connection ones in
 * {@link ConnectionLimitsProperties}. The rates are generous on purpose: a benchmark at hundreds of webhooks a
 * second from one machine is not limited unless an operator says so.
 *
 * @param contentTypes             media types a connection accepts unless it lists its own
 * @param connectionRatePerSecond  requests a second one connection takes on one replica
 * @param connectionBurst          its bucket size; default twice the rate
 * @param clientRatePerSecond      requests a second one client address sends to one connection on one replica
 * @param clientBurst              its bucket size; default twice the rate
 * @param trustedProxies           CIDR blocks whose {@code X-Forwarded-For} is believed; none by default
 * @param maxTrackedClients        client buckets kept before idle ones are dropped
 * @param maxInFlightRequests      webhook requests held at once; more get 503
 * @param maxInFlightBytes         declared body bytes held at once (a body of unknown length counts as
 *                                 {@code jobpipe.ingest.max-body-bytes}); more get 503
 * @param jsonMaxDepth             deepest nesting of objects and arrays in a body
 * @param jsonMaxNumberLength      longest number, in characters, in a body
 */
@ConfigurationProperties("jobpipe.ingest.limits")
public record IngestLimitsProperties(
        @Nullable List<String> contentTypes,
        @Bindable(defaultValue = "2000") long connectionRatePerSecond,
        @Nullable Long connectionBurst,
        @Bindable(defaultValue = "1000") long clientRatePerSecond,
        @Nullable Long clientBurst,
        @Nullable List<String> trustedProxies,
        @Bindable(defaultValue = "100000") int maxTrackedClients,
        @Bindable(defaultValue = "256") int maxInFlightRequests,
        @Bindable(defaultValue = "67108864") long maxInFlightBytes,
        @Bindable(defaultValue = "64") int jsonMaxDepth,
        @Bindable(defaultValue = "1000") int jsonMaxNumberLength) {

    public static final String DEFAULT_CONTENT_TYPE = "application/json";

    public IngestLimitsProperties {
        contentTypes = contentTypes == null || contentTypes.isEmpty() ? List.of(DEFAULT_CONTENT_TYPE)
                : List.copyOf(contentTypes);
        trustedProxies = trustedProxies == null ? List.of()
                : trustedProxies.stream().filter(cidr -> !cidr.isBlank()).toList();
    }

    public Rate connectionRate() {
        return Rate.of(connectionRatePerSecond, connectionBurst);
    }

    public Rate clientRate() {
        return Rate.of(clientRatePerSecond, clientBurst);
    }

    public JsonRules jsonRules() {
        return new JsonRules(jsonMaxDepth, jsonMaxNumberLength);
    }
}
