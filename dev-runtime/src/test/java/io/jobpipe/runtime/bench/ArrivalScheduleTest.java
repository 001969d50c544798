package io.jobpipe.runtime.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArrivalScheduleTest {

    @Test
    void shouldPlaceRequestsOnAFixedGridFromTheStart() {
        ArrivalSchedule schedule = new ArrivalSchedule(100, 5);

        assertThat(List.of(schedule.offsetNanos(0), schedule.offsetNanos(1), schedule.offsetNanos(4)))
                .containsExactly(0L, 10_000_000L, 40_000_000L);
        assertThat(schedule.span()).isEqualTo(Duration.ofMillis(40));
    }

    @Test
    void shouldKeepFractionalRatesExactWithoutDrift() {
        ArrivalSchedule schedule = new ArrivalSchedule(3, 3001);

        // 1/3 s does not round-trip in nanoseconds; request 3000 must still be due at exactly 1000 s.
        assertThat(schedule.offsetNanos(3000)).isEqualTo(TimeUnit.SECONDS.toNanos(1000));
        assertThat(schedule.offsetNanos(1)).isEqualTo(333_333_333L);
    }

    @Test
    void shouldDeriveTheCountFromRateAndDuration() {
        assertThat(ArrivalSchedule.forDuration(100, Duration.ofSeconds(60)).count()).isEqualTo(6000);
        assertThat(ArrivalSchedule.forDuration(0.5, Duration.ofSeconds(10)).count()).isEqualTo(5);
        assertThat(ArrivalSchedule.forDuration(0.5, Duration.ofMillis(100)).count()).isEqualTo(1);
    }

    @Test
    void shouldRefuseUnboundedOrEmptyLoad() {
        assertThatThrownBy(() -> new ArrivalSchedule(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ArrivalSchedule(100_000, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ArrivalSchedule(10, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ArrivalSchedule.forDuration(5000, Duration.ofHours(100)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldKeepDueTimesOnTheGridWhenASendStallsSoTheStallCountsAsLatency() throws InterruptedException {
        ArrivalSchedule schedule = new ArrivalSchedule(1000, 20);
        List<long[]> fired = new ArrayList<>();
        long start = System.nanoTime();

        new Pacer().run(schedule, start, (index, due) -> {
            fired.add(new long[]{index, due, System.nanoTime()});
            if (index == 2) {
                TimeUnit.MILLISECONDS.sleep(30); // the sender is blocked, e.g. at its concurrency bound
            }
        });

        assertThat(fired).hasSize(20);
        for (long[] f : fired) {
            assertThat(f[1]).isEqualTo(start + schedule.offsetNanos((int) f[0]));
            assertThat(f[2]).isGreaterThanOrEqualTo(f[1]);
        }
        // Requests 3.. were due during the stall: they fire late, and their latency will include that lateness.
        long[] afterStall = fired.get(3);
        assertThat(afterStall[2] - afterStall[1]).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(20));
    }

    @Test
    void shouldFireEveryRequestAtOnceWhenTheClockIsAlreadyPastTheSchedule() throws InterruptedException {
        ArrivalSchedule schedule = new ArrivalSchedule(1, 3);
        List<Long> dues = new ArrayList<>();

        new Pacer(() -> Long.MAX_VALUE / 2).run(schedule, 0, (index, due) -> dues.add(due));

        assertThat(dues).containsExactly(0L, 1_000_000_000L, 2_000_000_000L);
    }
}
