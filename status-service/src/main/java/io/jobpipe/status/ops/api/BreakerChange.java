package io.jobpipe.status.ops.api;

import io.jobpipe.core.breaker.BreakerState;
import io.micronaut.core.annotation.Introspected;

import java.time.Instant;

/**
 * The 202 of {@code POST /ops/breakers/{pipeline}/{stage}/open|close}: the state written to {@code jobpipe.breakers}.
 * The orchestrators act on it as they read it; {@code url} shows the breaker as this service has read it back.
 */
@Introspected
public record BreakerChange(String breaker, String pipeline, String stage, String state, Instant since,
                            String reason, String changedBy, boolean manual, String url) {

    static BreakerChange of(BreakerState s) {
        return new BreakerChange(s.breaker(), s.pipeline(), s.stage(), s.status().name(), s.since(), s.reason(),
                s.changedBy(), s.manual(), BreakerDocument.urlOf(s.pipeline(), s.stage()));
    }
}
