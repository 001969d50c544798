package io.jobpipe.runtime.bench.sse;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Prometheus histogram's cumulative buckets as a scrape gives them ({@code le} in seconds → count, summed over
 * label sets), so that two scrapes give what happened between them. {@code bench sse} reads status's
 * {@code jobpipe_status_projection_lag_seconds} before and after its latency phase: how much of a stream's latency
 * the events spent before they were in the read model.
 */
final class LagHistogram {
    private static final Pattern LE = Pattern.compile("le=\"([^\"]+)\"");
    private final TreeMap<Double, Double> cumulative;

    private LagHistogram(TreeMap<Double, Double> cumulative) {
        this.cumulative = cumulative;
    }

    /** The buckets of histogram {@code name} in a Prometheus text exposition; empty when it has none. */
    static LagHistogram parse(String exposition, String name) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        for (String line : exposition.split("\n")) {
            if (!line.startsWith(name + "_bucket{")) {
                continue;
            }
            Matcher le = LE.matcher(line);
            if (!le.find()) {
                continue;
            }
            double bound = le.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le.group(1));
            double count = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            buckets.merge(bound, count, Double::sum);
        }
        return new LagHistogram(buckets);
    }

    /** What was recorded after {@code before} was scraped. */
    LagHistogram since(LagHistogram before) {
        TreeMap<Double, Double> delta = new TreeMap<>();
        cumulative.forEach((bound, count) -> delta.put(bound, count - before.cumulative.getOrDefault(bound, 0.0)));
        return new LagHistogram(delta);
    }

    long count() {
        return cumulative.isEmpty() ? 0 : Math.round(cumulative.lastEntry().getValue());
    }

    /**
     * The upper bound, in ms, of the bucket holding the {@code quantile}: at most this (a bucket's resolution);
     * -1 when nothing was recorded, and {@link Long#MAX_VALUE} when it lies beyond the last finite bucket.
     */
    long atMostMillis(double quantile) {
        long total = count();
        if (total == 0) {
            return -1;
        }
        for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= quantile * total) {
                return bucket.getKey().isInfinite() ? Long.MAX_VALUE : Math.round(bucket.getKey() * 1000);
            }
        }
        return Long.MAX_VALUE;
    }
}
