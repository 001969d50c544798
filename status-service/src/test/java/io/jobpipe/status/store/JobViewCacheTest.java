package io.jobpipe.status.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.jobpipe.core.event.JobStatus;
import io.jobpipe.status.projection.JobView;
import io.jobpipe.status.projection.StageStatus;
import io.jobpipe.status.projection.StageView;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JobViewCacheTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void shouldGiveBackAJobWithTheVersionItWasKeptAtUntilItIsForgotten() {
        JobViewCache cache = new JobViewCache(1 << 20, 1 << 14);
        cache.put(job("a", 10), 7);

        assertThat(cache.get("a")).hasValueSatisfying(entry -> {
            assertThat(entry.view()).isEqualTo(job("a", 10));
            assertThat(entry.version()).isEqualTo(7);
        });
        cache.put(job("a", 100), 9);
        assertThat(cache.get("a").orElseThrow().version()).isEqualTo(9);
        assertThat(cache.size()).isEqualTo(1);

        cache.invalidate(List.of("a", "never-kept"));
        assertThat(cache.get("a")).isEmpty();
        assertThat(cache.bytes()).isZero();
    }

    @Test
    void shouldDropTheLeastRecentlyUsedJobsWhenTheirSizeGoesOverTheBound() {
        long one = JobViewCache.estimateBytes(job("a", 10));
        JobViewCache cache = new JobViewCache(one * 3, one);
        cache.put(job("a", 10), 1);
        cache.put(job("b", 10), 1);
        cache.put(job("c", 10), 1);
        cache.get("a");

        cache.put(job("d", 10), 1);

        assertThat(cache.get("b")).as("least recently used").isEmpty();
        assertThat(cache.get("a")).isPresent();
        assertThat(cache.get("c")).isPresent();
        assertThat(cache.get("d")).isPresent();
        assertThat(cache.bytes()).isLessThanOrEqualTo(one * 3);
    }

    @Test
    void shouldNotKeepAJobLargerThanTheLimitForOneJob() {
        JobViewCache cache = new JobViewCache(1 << 20, 1 << 14);
        cache.put(job("small", 10), 1);
        cache.put(job("big", 20_000), 1);

        assertThat(cache.get("small")).isPresent();
        assertThat(cache.get("big")).isEmpty();
    }

    @Test
    void shouldCountAnOutputsTextNestedInArraysAndObjects() {
        long flat = JobViewCache.estimateBytes(job("a", 10));
        long larger = JobViewCache.estimateBytes(job("a", 1_010));

        assertThat(larger - flat).as("1,000 more characters, two bytes each").isGreaterThanOrEqualTo(2_000);
    }

    @Test
    void shouldNotKeepAFinishedJobAndForgetItsRunningCopy() {
        JobViewCache cache = new JobViewCache(1 << 20, 1 << 14);
        cache.put(job("running", 10), 1);
        cache.put(job("held", 10, JobStatus.HELD), 1);

        for (JobStatus finished : List.of(JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.DEAD_LETTERED,
                JobStatus.CANCELLED)) {
            cache.put(job("running", 10), 2);
            cache.put(job("running", 10, finished), 3);
            assertThat(cache.get("running")).as(finished.name()).isEmpty();
        }
        assertThat(cache.get("held")).as("a held job goes on when its breaker lets it").isPresent();
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.bytes()).isEqualTo(JobViewCache.estimateBytes(job("held", 10, JobStatus.HELD)));
    }

    /** A running job with one stage whose output holds {@code characters} of text, nested. */
    private static JobView job(String jobId, int characters) {
        return job(jobId, characters, JobStatus.RUNNING);
    }

    private static JobView job(String jobId, int characters, JobStatus state) {
        var output = JsonNodeFactory.instance.objectNode();
        output.putArray("lines").addObject().put("text", "x".repeat(characters));
        StageView stage = new StageView("validate", 0, StageStatus.SUCCEEDED, 1, T0, T0, 5L, "ok", output, null, null,
                null);
        return new JobView(jobId, "github", "push", null, null, "default", state, null, null, 3, null,
                null, null, T0, T0, state.terminal() ? T0 : null, List.of(stage));
    }
}
