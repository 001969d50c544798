package io.jobpipe.core;

import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.SyntheticRun;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class SyntheticRunTest {

    @Test
    void shouldBeASuccessfulRunOfEveryStageWithContiguousSeqs() {
        List<String> stages = List.of("validate", "act");
        Instant at = Instant.parse("2026-12-03T12:00:00Z");

        List<JobEvent> run = IntStream.range(0, SyntheticRun.events(stages))
                .mapToObj(step -> SyntheticRun.event("job-1", step, stages, "bench", at)).toList();

        assertThat(run).extracting(e -> e.getClass().getSimpleName()).containsExactly("JobAccepted",
                "StageDispatched", "StageCompleted", "StageDispatched", "StageCompleted", "JobCompleted");
        assertThat(run).extracting(JobEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(run).allSatisfy(e -> assertThat(e.jobId()).isEqualTo("job-1"));
        assertThat(((JobEvent.StageCompleted) run.get(4)).stage()).isEqualTo("act");
        assertThat(run.get(5).terminal()).isTrue();
    }
}
