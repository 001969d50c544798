package io.jobpipe.runtime.cli;

import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.JobEvent.JobAccepted;
import io.jobpipe.core.event.JobEvent.JobCompleted;
import io.jobpipe.core.event.JobEvent.JobDeadLettered;
import io.jobpipe.core.event.JobEvent.JobFailed;
import io.jobpipe.core.event.JobEvent.LateResultIgnored;
import io.jobpipe.core.event.JobEvent.StageAttemptFailed;
import io.jobpipe.core.event.JobEvent.StageCompleted;
import io.jobpipe.core.event.JobEvent.StageDispatched;
import io.jobpipe.runtime.client.SseEvent;

import java.time.Instant;
import java.time.ZoneId;

/**
 * One readable line per job event: {@code time  #seq  type  stage#attempt  duration  summary-or-error}.
 * Columns are fixed-width so a stream of them reads as a table.
 */
final class JobEventLine {
    private JobEventLine() {
    }

    static String format(JobEvent event, ZoneId zone) {
        String stage = "";
        String duration = "";
        String text = "";
        if (event instanceof JobAccepted e) {
            text = "pipeline " + e.pipeline() + ": " + String.join(" → ", e.stages())
                    + " (connection " + e.connection() + ", event " + e.eventType()
                    + (e.deliveryId() == null ? "" : ", delivery " + e.deliveryId()) + ")";
        } else if (event instanceof StageDispatched e) {
            stage = stageAttempt(e.stage(), e.attempt());
            text = e.deadline() == null ? "" : "deadline " + Times.clockMillis(e.deadline(), zone);
        } else if (event instanceof StageCompleted e) {
            stage = stageAttempt(e.stage(), e.attempt());
            duration = Times.duration(e.durationMs());
            text = e.summary() == null ? "" : e.summary();
        } else if (event instanceof StageAttemptFailed e) {
            stage = stageAttempt(e.stage(), e.attempt());
            duration = Times.duration(e.durationMs());
            text = error(e.errorType(), e.message()) + (e.nextAttemptAt() == null
                    ? (e.retryable() ? "; no attempts left" : "; not retryable")
                    : "; retry at " + Times.clockMillis(e.nextAttemptAt(), zone));
        } else if (event instanceof LateResultIgnored e) {
            stage = stageAttempt(e.stage(), e.attempt());
            text = "ignored late " + e.resultType() + ": " + e.reason();
        } else if (event instanceof JobCompleted) {
            text = "job completed";
        } else if (event instanceof JobFailed e) {
            stage = e.stage() == null ? "" : e.stage();
            text = error(e.errorType(), e.message());
        } else if (event instanceof JobDeadLettered e) {
            stage = e.stage();
            text = error(e.errorType(), e.message()) + " after " + e.attempts() + " attempt"
                    + (e.attempts() == 1 ? "" : "s") + " → " + e.deadLetterTopic();
        } else if (event instanceof JobEvent.JobReplayed e) {
            stage = e.fromStage();
            text = "replay " + e.replayNumber() + " (" + e.replayId() + ") by " + e.requestedBy() + ": " + e.reason()
                    + (e.inputPatched() ? "; payload patched " + e.inputPatch() : "");
        } else if (event instanceof JobEvent.ReplayRefused e) {
            text = "replay " + e.replayId() + " by " + e.requestedBy() + " refused: " + e.why();
        } else if (event instanceof JobEvent.JobCancelled e) {
            stage = e.stage() == null ? "" : e.attempt() == 0 ? e.stage() : stageAttempt(e.stage(), e.attempt());
            text = "cancelled by " + e.requestedBy() + ": " + e.reason();
        } else if (event instanceof JobEvent.JobHeld e) {
            stage = stageAttempt(e.stage(), e.attempt());
            text = "held, no attempt spent: " + e.reason();
        } else if (event instanceof JobEvent.StageProgress e) {
            stage = stageAttempt(e.stage(), e.attempt());
            text = e.message();
        } else if (event instanceof JobEvent.JobReleased e) {
            stage = e.stage();
            text = (e.probe() ? "released as the probe of " : "released by ") + e.breaker() + ": " + e.reason();
        }
        return line(event.occurredAt(), Long.toString(event.seq()), typeOf(event), stage, duration, text, zone);
    }

    /** A line for an event whose data is not a JobEvent this CLI knows: shown raw rather than dropped. */
    static String raw(SseEvent event) {
        return line(null, event.id() == null ? "?" : event.id(), event.event(), "", "", event.data(), ZoneId.systemDefault());
    }

    static String typeOf(JobEvent event) {
        return event.getClass().getSimpleName();
    }

    private static String line(Instant at, String seq, String type, String stage, String duration, String text, ZoneId zone) {
        return String.format("%s  #%-3s %-19s %-14s %8s  %s", Times.clockMillis(at, zone), seq, type, stage, duration, text)
                .stripTrailing();
    }

    private static String stageAttempt(String stage, int attempt) {
        return stage + "#" + attempt;
    }

    private static String error(String type, String message) {
        if (type == null || type.isBlank()) {
            return message == null ? "error" : message;
        }
        return message == null || message.isBlank() ? type : type + ": " + message;
    }
}
