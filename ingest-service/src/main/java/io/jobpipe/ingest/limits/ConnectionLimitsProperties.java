package io.jobpipe.ingest.limits;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;

import java.util.List;

/**
 * The limits of one connection, read from the same {@code jobpipe.ingest.connections.<name>} entry as its scheme
 * ({@link io.jobpipe.ingest.connection.ConnectionProperties}); every one left out takes the default of
 * {@link IngestLimitsProperties} (or, for the body size, {@code jobpipe.ingest.max-body-bytes}).
 *
 * @param contentTypes        media types accepted; others get 415
 * @param maxBodyBytes        largest body; at most {@code jobpipe.ingest.max-body-bytes}, larger ones get 413
 * @param ratePerSecond       requests a second this connection takes on one replica
 * @param burst               its bucket size
 * @param clientRatePerSecond requests a second one client address sends to this connection on one replica
 * @param clientBurst         its bucket size
 */
@EachProperty("jobpipe.ingest.connections")
public record ConnectionLimitsProperties(
        @Parameter String name,
        @Nullable List<String> contentTypes,
        @Nullable Long maxBodyBytes,
        @Nullable Long ratePerSecond,
        @Nullable Long burst,
        @Nullable Long clientRatePerSecond,
        @Nullable Long clientBurst) {
}
