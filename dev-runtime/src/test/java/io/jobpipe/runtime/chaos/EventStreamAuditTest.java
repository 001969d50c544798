package io.jobpipe.runtime.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventStreamAuditTest {
    private final EventStreamAudit audit = new EventStreamAudit();

    @Test
    void shouldPassJobsWithContiguousSeqsAndOneTerminalEvent() {
        job("job_a", "JobAccepted", "StageDispatched", "StageCompleted", "JobCompleted");
        job("job_b", "JobAccepted", "StageDispatched", "StageCompleted", "JobCompleted");

        EventStreamAudit.Findings findings = audit.findings(List.of("job_a", "job_b"));

        assertThat(findings.clean()).isTrue();
        assertThat(findings.jobs()).isEqualTo(2);
        assertThat(findings.count("JobCompleted")).isEqualTo(2);
    }

    @Test
    void shouldCountTheSameEventWrittenTwiceWithANewEventIdAsAnIdenticalDuplicate() {
        job("job_a", "JobAccepted", "StageDispatched");
        audit.record("job_a", event("job_a", 2, "StageDispatched", "other-event-id", 1));
        audit.record("job_a", event("job_a", 3, "JobCompleted", "e3", 1));

        EventStreamAudit.Findings findings = audit.findings(List.of("job_a"));

        assertThat(findings.clean()).isTrue();
        assertThat(findings.identicalDuplicates()).isEqualTo(1);
    }

    @Test
    void shouldFailATransitionAppliedTwiceWithDifferentContent() {
        job("job_a", "JobAccepted", "StageDispatched");
        audit.record("job_a", event("job_a", 2, "StageDispatched", "e9", 2));

        EventStreamAudit.Findings findings = audit.findings(List.of("job_a"));

        assertThat(findings.clean()).isFalse();
        assertThat(findings.conflictingDuplicates()).isEqualTo(1);
        assertThat(findings.examples()).anyMatch(e -> e.contains("job_a seq 2 written twice with different content"));
    }

    @Test
    void shouldFailGapsMissingJobsAndASecondTerminalEvent() {
        audit.record("job_gap", event("job_gap", 1, "JobAccepted", "e1", 1));
        audit.record("job_gap", event("job_gap", 3, "JobCompleted", "e3", 1));
        job("job_twice", "JobAccepted", "JobDeadLettered");
        audit.record("job_twice", event("job_twice", 3, "JobCompleted", "e3", 1));

        EventStreamAudit.Findings findings = audit.findings(List.of("job_gap", "job_twice", "job_missing"));

        assertThat(findings.jobsWithGaps()).isEqualTo(1);
        assertThat(findings.extraTerminals()).isEqualTo(1);
        assertThat(findings.missingJobs()).isEqualTo(1);
        assertThat(findings.clean()).isFalse();
    }

    @Test
    void shouldTakeTheEndOfAReplayedDeadLetterAsItsOneEndButNotASecondEndAfterIt() {
        job("job_replayed", "JobAccepted", "JobDeadLettered", "JobReplayed", "StageDispatched", "JobCompleted");
        job("job_reopened", "JobAccepted", "JobDeadLettered", "JobReplayed", "StageDispatched");
        job("job_ended_twice", "JobAccepted", "JobDeadLettered", "JobReplayed", "JobCompleted", "JobFailed");

        EventStreamAudit.Findings findings = audit.findings(List.of("job_replayed", "job_reopened", "job_ended_twice"));

        assertThat(findings.extraTerminals()).as("only the job that ended again without a replay").isEqualTo(1);
        assertThat(findings.examples()).anyMatch(e -> e.contains("job_ended_twice"));
        assertThat(findings.count("JobCompleted")).isEqualTo(1);
        assertThat(findings.count("none")).as("running again after its replay").isEqualTo(1);
        assertThat(findings.count("JobFailed")).isEqualTo(1);
    }

    @Test
    void shouldTellAnSseClientThatMissedOrRepeatedASeq() {
        assertThat(new SseFollower.Result("job_a", List.of(1L, 2L, 3L), 2, "JobCompleted", null).check()).isEmpty();
        assertThat(new SseFollower.Result("job_a", List.of(1L, 2L, 2L, 3L), 2, "JobCompleted", null).check())
                .contains("not each seq exactly once");
        assertThat(new SseFollower.Result("job_a", List.of(1L, 3L), 2, "JobCompleted", null).check())
                .contains("not each seq exactly once");
        assertThat(new SseFollower.Result("job_a", List.of(1L, 2L), 5, null, "java.net.ConnectException").check())
                .contains("no terminal event");
    }

    private void job(String jobId, String... types) {
        for (int i = 0; i < types.length; i++) {
            audit.record(jobId, event(jobId, i + 1, types[i], "e" + (i + 1), 1));
        }
    }

    private static JsonNode event(String jobId, long seq, String type, String eventId, int attempt) {
        return Json.MAPPER.createObjectNode().put("type", type).put("eventId", eventId).put("jobId", jobId)
                .put("seq", seq).put("occurredAt", "2026-12-02T03:00:0" + seq + "Z").put("attempt", attempt);
    }
}
