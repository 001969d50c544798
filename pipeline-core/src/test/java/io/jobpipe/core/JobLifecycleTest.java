package io.jobpipe.core;

import io.jobpipe.core.event.EventIds;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.JobStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class JobLifecycleTest {

    @Test
    void shouldNameTheSameTerminalEventsByInstanceAndByType() {
        Instant t = Instant.EPOCH;
        assertThat(new JobEvent.JobCompleted("e", "j", t, 1).terminal()).isTrue();
        assertThat(new JobEvent.JobFailed("e", "j", t, 1, null, "X", "m").terminal()).isTrue();
        assertThat(new JobEvent.JobDeadLettered("e", "j", t, 1, "s", 3, "X", "m", "t").terminal()).isTrue();
        assertThat(new JobEvent.StageDispatched("e", "j", t, 1, "s", 0, 1, t).terminal()).isFalse();
        assertThat(JobEvent.TERMINAL_TYPES).containsExactlyInAnyOrder("JobCompleted", "JobFailed", "JobDeadLettered",
                "JobCancelled");
        assertThat(JobEvent.isTerminalType("LateResultIgnored")).isFalse();
    }

    @Test
    void shouldTellTerminalStatesByName() {
        assertThat(JobStatus.isTerminalName("COMPLETED")).isTrue();
        assertThat(JobStatus.isTerminalName("CANCELLED")).isTrue();
        assertThat(JobStatus.isTerminalName("RUNNING")).isFalse();
        assertThat(JobStatus.isTerminalName("HELD")).as("a held job goes on once its breaker lets it").isFalse();
        assertThat(JobStatus.isTerminalName("NOT_FOUND")).isFalse();
        assertThat(JobStatus.isTerminalName(null)).isFalse();
    }

    @Test
    void shouldMakeUnguessableJobIds() {
        Set<String> ids = new HashSet<>();
        IntStream.range(0, 10_000).forEach(i -> ids.add(EventIds.newJobId()));
        assertThat(ids).hasSize(10_000).allMatch(id -> id.matches("job_[A-Za-z0-9_-]{22}"));
    }
}
