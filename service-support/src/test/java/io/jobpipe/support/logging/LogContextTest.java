package io.jobpipe.support.logging;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LogContextTest {

    @AfterEach
    void clearMdc() {
        MDC.clear();
    }

    @Test
    void shouldSetTheFieldsInsideTheBlockAndClearThemAfter() {
        try (LogContext ignored = LogContext.open().requestId("req_1").jobId("job_1").stage("enrich").attempt(2)
                .traceId("4bf92f3577b34da6a3ce929d0e0e4736")) {
            assertThat(MDC.getCopyOfContextMap()).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "requestId", "req_1", "jobId", "job_1", "stage", "enrich", "attempt", "2",
                    "traceId", "4bf92f3577b34da6a3ce929d0e0e4736"));
        }
        assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
    }

    @Test
    void shouldNotLeakOneJobsFieldsIntoTheNextOnTheSameThread() {
        try (LogContext ignored = LogContext.open().jobId("job_1").stage("act").attempt(3)) {
            assertThat(MDC.get("stage")).isEqualTo("act");
        }
        try (LogContext ignored = LogContext.open().jobId("job_2")) {
            assertThat(LogContext.current()).containsExactly(Map.entry("jobId", "job_2"));
        }
    }

    @Test
    void shouldRestoreTheOuterContextWhenANestedOneCloses() {
        try (LogContext outer = LogContext.open().requestId("req_1").jobId("job_1")) {
            try (LogContext inner = LogContext.open().jobId("job_2").stage("notify")) {
                assertThat(LogContext.current()).containsEntry("requestId", "req_1").containsEntry("jobId", "job_2");
            }
            assertThat(LogContext.current()).containsExactly(Map.entry("requestId", "req_1"), Map.entry("jobId", "job_1"));
        }
        assertThat(LogContext.current()).isEmpty();
    }

    @Test
    void shouldLeaveAFieldAsItWasWhenTheNewValueIsUnknown() {
        try (LogContext outer = LogContext.open().jobId("job_1").attempt(1)) {
            try (LogContext inner = LogContext.open().jobId(null).attempt(0).traceId("")) {
                assertThat(LogContext.current()).containsExactly(Map.entry("jobId", "job_1"), Map.entry("attempt", "1"));
            }
        }
    }

    @Test
    void shouldCarryASnapshotToAnotherThreadAndLeaveOtherMdcKeysAlone() throws InterruptedException {
        Map<String, String> snapshot;
        try (LogContext ignored = LogContext.open().jobId("job_1").stage("record")) {
            snapshot = LogContext.current();
        }
        Map<String, String>[] seen = new Map[2];
        Thread other = new Thread(() -> {
            MDC.put("unrelated", "kept");
            try (LogContext ignored = LogContext.of(snapshot)) {
                seen[0] = MDC.getCopyOfContextMap();
            }
            seen[1] = MDC.getCopyOfContextMap();
        });
        other.start();
        other.join();

        assertThat(seen[0]).containsEntry("jobId", "job_1").containsEntry("stage", "record").containsEntry("unrelated", "kept");
        assertThat(seen[1]).containsExactly(Map.entry("unrelated", "kept"));
    }
}
