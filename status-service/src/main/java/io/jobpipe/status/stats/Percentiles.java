package io.jobpipe.status.stats;

import io.micronaut.core.annotation.Introspected;

/** Duration percentiles in milliseconds; all null when nothing was measured. */
@Introspected
public record Percentiles(Long p50, Long p95, Long p99) {
    static final Percentiles NONE = new Percentiles(null, null, null);

    /** From PostgreSQL's {@code percentile_cont(ARRAY[0.5, 0.95, 0.99])}, null when no row was measured. */
    static Percentiles of(Double[] values) {
        if (values == null || values.length < 3 || values[0] == null) {
            return NONE;
        }
        return new Percentiles(Math.round(values[0]), Math.round(values[1]), Math.round(values[2]));
    }
}
