package io.jobpipe.runtime.bench;

import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;

/**
 * A thread-safe latency distribution: an HdrHistogram of microseconds, from 1 µs to one hour at three
 * significant digits, so percentiles are exact to 0.1% whatever the spread.
 */
public final class LatencyStats {
    private static final long MAX_MICROS = TimeUnit.HOURS.toMicros(1);

    private final Histogram histogram = new Histogram(MAX_MICROS, 3);

    public synchronized void recordNanos(long nanos) {
        long micros = Math.max(0, TimeUnit.NANOSECONDS.toMicros(nanos));
        histogram.recordValue(Math.min(micros, MAX_MICROS));
    }

    public void recordMillis(long millis) {
        recordNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    public synchronized long count() {
        return histogram.getTotalCount();
    }

    public synchronized LatencySummary summary() {
        if (histogram.getTotalCount() == 0) {
            return LatencySummary.EMPTY;
        }
        return new LatencySummary(histogram.getTotalCount(),
                millis(histogram.getValueAtPercentile(50)), millis(histogram.getValueAtPercentile(95)),
                millis(histogram.getValueAtPercentile(99)), millis(histogram.getValueAtPercentile(99.9)),
                millis(histogram.getMaxValue()), Math.round(histogram.getMean()) / 1000.0);
    }

    private static double millis(long micros) {
        return micros / 1000.0;
    }
}
