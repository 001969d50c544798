package io.jobpipe.support.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;

import java.time.Duration;
import java.util.List;

/**
 * Gives every timer whose name starts with the prefix the same fixed histogram buckets, from 1 ms to 2 min, so
 * {@code histogram_quantile} works on each of them and series of different services can be aggregated together.
 * Fixed buckets (16 and {@code +Inf}) rather than Micrometer's percentile histogram (about 70 between these
 * bounds): they cover what jobpipe measures (a produce, an agent call, a projection lag) at a quarter of the series.
 * Client-side percentiles stay off: they cannot be aggregated across instances.
 */
public final class LatencyHistograms implements MeterFilter {
    /** The bucket upper bounds ({@code le}), in the 1-2.5-5 steps Prometheus users know. */
    public static final List<Duration> BUCKETS = List.of(
            Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2_500), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120));

    private static final double[] BUCKET_NANOS = BUCKETS.stream().mapToDouble(Duration::toNanos).toArray();

    private final String prefix;

    public LatencyHistograms(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (id.getType() != Meter.Type.TIMER || !id.getName().startsWith(prefix)) {
            return config;
        }
        return DistributionStatisticConfig.builder()
                .serviceLevelObjectives(BUCKET_NANOS)
                .percentilesHistogram(false)
                .build()
                .merge(config);
    }
}
