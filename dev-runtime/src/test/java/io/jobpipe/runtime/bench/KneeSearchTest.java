package io.jobpipe.runtime.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KneeSearchTest {
    private static final List<Double> RATES = List.of(50.0, 100.0, 200.0, 300.0);

    @Test
    void shouldStopAtTheFirstFailingRateAndReportTheLastPassingOne() {
        List<Double> tried = new ArrayList<>();
        KneeSearch.Result result = new KneeSearch(RATES, Duration.ofSeconds(60), Duration.ofMinutes(10))
                .run(rate -> {
                    tried.add(rate);
                    return step(rate, rate <= 100);
                }, new AtomicLong()::get);

        assertThat(tried).containsExactly(50.0, 100.0, 200.0);
        assertThat(result.knee()).isEqualTo(100.0);
        assertThat(result.stoppedBy()).startsWith("200/s failed: p99 too high");
    }

    @Test
    void shouldSayWhenEveryRatePassed() {
        KneeSearch.Result result = new KneeSearch(RATES, Duration.ofSeconds(60), Duration.ofMinutes(10))
                .run(rate -> step(rate, true), new AtomicLong()::get);

        assertThat(result.knee()).isEqualTo(300.0);
        assertThat(result.steps()).hasSize(4);
        assertThat(result.stoppedBy()).contains("every rate passed");
    }

    @Test
    void shouldNotStartAStepThatCouldOverrunTheBudget() {
        AtomicLong clock = new AtomicLong();
        KneeSearch search = new KneeSearch(RATES, Duration.ofSeconds(60), Duration.ofSeconds(150));

        KneeSearch.Result result = search.run(rate -> {
            clock.addAndGet(Duration.ofSeconds(60).toNanos());
            return step(rate, true);
        }, clock::get);

        assertThat(result.steps()).extracting(KneeSearch.Step::rate).containsExactly(50.0, 100.0);
        assertThat(result.knee()).isEqualTo(100.0);
        assertThat(result.stoppedBy()).startsWith("budget");
        assertThat(search.bound()).isEqualTo(Duration.ofSeconds(150));
    }

    @Test
    void shouldRefuseRatesThatDoNotIncrease() {
        assertThatThrownBy(() -> new KneeSearch(List.of(100.0, 50.0), Duration.ofSeconds(1), Duration.ofSeconds(10)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static KneeSearch.Step step(double rate, boolean passed) {
        return new KneeSearch.Step(rate, 100, 100, 100, 50, passed ? 400 : 1500, 5.0, passed, passed ? "" : "p99 too high");
    }
}
