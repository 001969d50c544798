package io.jobpipe.core.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The authoritative history of a job, written only by the orchestrator.
 * Value of {@code jobpipe.job.events}, key = jobId. {@code seq} starts at 1 and increases by one per job.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = JobEvent.JobAccepted.class, name = "JobAccepted"),
        @JsonSubTypes.Type(value = JobEvent.StageDispatched.class, name = "StageDispatched"),
        @JsonSubTypes.Type(value = JobEvent.StageCompleted.class, name = "StageCompleted"),
        @JsonSubTypes.Type(value = JobEvent.StageAttemptFailed.class, name = "StageAttemptFailed"),
        @JsonSubTypes.Type(value = JobEvent.LateResultIgnored.class, name = "LateResultIgnored"),
        @JsonSubTypes.Type(value = JobEvent.JobCompleted.class, name = "JobCompleted"),
        @JsonSubTypes.Type(value = JobEvent.JobFailed.class, name = "JobFailed"),
        @JsonSubTypes.Type(value = JobEvent.JobDeadLettered.class, name = "JobDeadLettered"),
        @JsonSubTypes.Type(value = JobEvent.JobReplayed.class, name = "JobReplayed"),
        @JsonSubTypes.Type(value = JobEvent.ReplayRefused.class, name = "ReplayRefused"),
        @JsonSubTypes.Type(value = JobEvent.JobCancelled.class, name = "JobCancelled"),
        @JsonSubTypes.Type(value = JobEvent.JobHeld.class, name = "JobHeld"),
        @JsonSubTypes.Type(value = JobEvent.JobReleased.class, name = "JobReleased"),
        @JsonSubTypes.Type(value = JobEvent.StageProgress.class, name = "StageProgress")
})
public sealed interface JobEvent extends Event {
    /** The JSON {@code type} names of the events after which the job runs no more stages unless an operator acts. */
    Set<String> TERMINAL_TYPES = Set.of(JobCompleted.class.getSimpleName(), JobFailed.class.getSimpleName(),
            JobDeadLettered.class.getSimpleName(), JobCancelled.class.getSimpleName());

    long seq();

    /** The job exists and will run {@code stages} of {@code pipeline} in order. */
    record JobAccepted(String eventId, String jobId, Instant occurredAt, long seq,
                       String connection, String deliveryId, String eventType, String requestId,
                       String pipeline, List<String> stages) implements JobEvent {
        public JobAccepted {
            stages = List.copyOf(stages);
        }
    }

    /** A StageRequested for this attempt was sent to the stage's topic. */
    record StageDispatched(String eventId, String jobId, Instant occurredAt, long seq,
                           String stage, int stageIndex, int attempt, Instant deadline) implements JobEvent {
    }

    /**
     * The attempt succeeded. {@code log} is the tail of what its agent logged (a command's stderr; at most 16 KiB),
     * or null: also null in events written before the field existed.
     */
    record StageCompleted(String eventId, String jobId, Instant occurredAt, long seq,
                          String stage, int attempt, Instant startedAt, long durationMs,
                          String summary, JsonNode output, String log) implements JobEvent {

        public StageCompleted(String eventId, String jobId, Instant occurredAt, long seq, String stage, int attempt,
                              Instant startedAt, long durationMs, String summary, JsonNode output) {
            this(eventId, jobId, occurredAt, seq, stage, attempt, startedAt, durationMs, summary, output, null);
        }

        /** This event with the attempt's log tail. */
        public StageCompleted withLog(String attemptLog) {
            return new StageCompleted(eventId, jobId, occurredAt, seq, stage, attempt, startedAt, durationMs, summary,
                    output, attemptLog);
        }
    }

    /**
     * One attempt failed; {@code nextAttemptAt} is null when no retry follows. {@code log} is the tail of what its
     * agent logged, or null (always null for an attempt that timed out without a word from its worker).
     */
    record StageAttemptFailed(String eventId, String jobId, Instant occurredAt, long seq,
                              String stage, int attempt, Instant startedAt, long durationMs,
                              String errorType, String message, boolean retryable,
                              Instant nextAttemptAt, String log) implements JobEvent {

        public StageAttemptFailed(String eventId, String jobId, Instant occurredAt, long seq, String stage, int attempt,
                                  Instant startedAt, long durationMs, String errorType, String message,
                                  boolean retryable, Instant nextAttemptAt) {
            this(eventId, jobId, occurredAt, seq, stage, attempt, startedAt, durationMs, errorType, message, retryable,
                    nextAttemptAt, null);
        }

        /** This event with the attempt's log tail. */
        public StageAttemptFailed withLog(String attemptLog) {
            return new StageAttemptFailed(eventId, jobId, occurredAt, seq, stage, attempt, startedAt, durationMs,
                    errorType, message, retryable, nextAttemptAt, attemptLog);
        }
    }

    /** A result that no longer matters (an old attempt, a finished job): recorded, then ignored. */
    record LateResultIgnored(String eventId, String jobId, Instant occurredAt, long seq,
                             String stage, int attempt, String resultType, String reason) implements JobEvent {
    }

    record JobCompleted(String eventId, String jobId, Instant occurredAt, long seq) implements JobEvent {
    }

    /** Terminal: a non-retryable failure, or no pipeline for the job. {@code stage} may be null. */
    record JobFailed(String eventId, String jobId, Instant occurredAt, long seq,
                     String stage, String errorType, String message) implements JobEvent {
    }

    /** Terminal until replayed: the stage ran out of attempts; its request is on {@code deadLetterTopic}. */
    record JobDeadLettered(String eventId, String jobId, Instant occurredAt, long seq,
                           String stage, int attempts, String errorType, String message,
                           String deadLetterTopic) implements JobEvent {
    }

    /**
     * An operator replayed the dead-lettered job: it runs again from {@code fromStage} with a fresh attempt budget;
     * the StageDispatched that follows names the attempt. {@code replayNumber} counts this job's replays (1 for the
     * first); {@code inputPatched} says the payload was changed by a JSON Merge Patch, {@code inputPatch}.
     */
    record JobReplayed(String eventId, String jobId, Instant occurredAt, long seq,
                       String replayId, int replayNumber, String requestedBy, String reason, String filter,
                       String deadLetteredStage, String fromStage, boolean inputPatched,
                       JsonNode inputPatch) implements JobEvent {
        public JobReplayed {
            inputPatch = inputPatch == null || inputPatch.isNull() || inputPatch.isMissingNode() ? null : inputPatch;
        }
    }

    /**
     * A replay the job did not take, and why: it is not dead-lettered, the stage is not in its pipeline, or it was
     * replayed as often as allowed ({@code parked}: it stays dead-lettered until an operator cancels it).
     */
    record ReplayRefused(String eventId, String jobId, Instant occurredAt, long seq,
                         String replayId, String requestedBy, String reason, String filter,
                         String why, boolean parked) implements JobEvent {
    }

    /** Terminal: an operator cancelled the job; {@code stage}/{@code attempt} were running then (null/0 if none). */
    record JobCancelled(String eventId, String jobId, Instant occurredAt, long seq,
                        String requestedBy, String reason, String filter,
                        String stage, int attempt, String previousState) implements JobEvent {
    }

    /**
     * The job's next attempt of {@code stage} was not sent: the stage's circuit breaker ({@code breaker}, named
     * {@code <pipeline>/<stage>}) is open. The job is HELD, with no attempt spent and no deadline, until the breaker
     * lets it through; {@code attempt} is the number that attempt will have.
     */
    record JobHeld(String eventId, String jobId, Instant occurredAt, long seq,
                   String stage, int attempt, String breaker, String reason) implements JobEvent {
    }

    /**
     * A held job goes on: its breaker closed, or it was chosen as the probe of a half-open breaker ({@code probe}).
     * The StageDispatched that follows names the attempt.
     */
    record JobReleased(String eventId, String jobId, Instant occurredAt, long seq,
                       String stage, String breaker, boolean probe, String reason) implements JobEvent {
    }

    /**
     * The agent of the current attempt is alive: a heartbeat, with how far it got when the agent said
     * ({@code "page 3 of 7"}), else the worker's own "still running" line. Pushes the attempt's deadline out.
     */
    record StageProgress(String eventId, String jobId, Instant occurredAt, long seq,
                         String stage, int attempt, String message, Instant deadline) implements JobEvent {
    }

    /** True for events after which the job runs no more stages unless an operator acts. */
    default boolean terminal() {
        return TERMINAL_TYPES.contains(getClass().getSimpleName());
    }

    /** {@link #terminal()} for a type name read from JSON or an SSE {@code event:} line. */
    static boolean isTerminalType(String type) {
        return TERMINAL_TYPES.contains(type);
    }
}
