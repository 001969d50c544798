package io.jobpipe.runtime.bench.sse;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LagHistogramTest {
    private static final String NAME = "jobpipe_status_projection_lag_seconds";

    private static String scrape(long upTo10ms, long upTo100ms, long upTo1s, long all) {
        return "# HELP " + NAME + " From a job event's occurredAt to the commit of its read-model rows\n"
                + "# TYPE " + NAME + " histogram\n"
                + NAME + "_bucket{service=\"status-service\",le=\"0.01\"} " + upTo10ms + "\n"
                + NAME + "_bucket{service=\"status-service\",le=\"0.1\"} " + upTo100ms + "\n"
                + NAME + "_bucket{service=\"status-service\",le=\"1.0\"} " + upTo1s + "\n"
                + NAME + "_bucket{service=\"status-service\",le=\"+Inf\"} " + all + "\n"
                + NAME + "_count{service=\"status-service\"} " + all + "\n"
                + "jobpipe_other_seconds_bucket{le=\"0.01\"} 999\n";
    }

    @Test
    void shouldGiveTheQuantilesOfWhatWasRecordedBetweenTwoScrapes() {
        LagHistogram before = LagHistogram.parse(scrape(100, 100, 100, 100), NAME);
        // Since then: 50 events within 10 ms, 40 more within 100 ms, 9 within 1 s, 1 beyond.
        LagHistogram after = LagHistogram.parse(scrape(150, 190, 199, 200), NAME);

        LagHistogram between = after.since(before);

        assertThat(between.count()).isEqualTo(100);
        assertThat(between.atMostMillis(0.50)).isEqualTo(10);
        assertThat(between.atMostMillis(0.90)).isEqualTo(100);
        assertThat(between.atMostMillis(0.99)).isEqualTo(1000);
        assertThat(between.atMostMillis(0.999)).as("beyond the last finite bucket").isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldSayNothingWasRecordedWhenTheHistogramIsMissingOrDidNotMove() {
        LagHistogram none = LagHistogram.parse("# nothing here\n", NAME);
        assertThat(none.count()).isZero();
        assertThat(none.atMostMillis(0.5)).isEqualTo(-1);
        LagHistogram same = LagHistogram.parse(scrape(1, 2, 3, 4), NAME);
        assertThat(same.since(same).atMostMillis(0.99)).isEqualTo(-1);
    }
}
