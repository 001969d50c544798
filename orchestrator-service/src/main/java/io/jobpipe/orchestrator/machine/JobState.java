package io.jobpipe.orchestrator.machine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipe.core.breaker.BreakerState;
import io.jobpipe.core.event.JobStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the orchestrator remembers about one job between inputs. Stored as JSON per jobId;
 * Jackson reads it through the canonical constructor, so adding a field keeps old states readable.
 *
 * @param pipeline         the pipeline the job runs, null when no route matched
 * @param stage            the current stage's name (null before the first dispatch or without a pipeline)
 * @param stageIndex       the current stage's position in the pipeline
 * @param attempt          the current attempt of the current stage, 1-based
 * @param phase            whether that attempt is in flight or waiting to be retried
 * @param requestEventId   the eventId of the StageRequested of the current attempt
 * @param attemptStartedAt when the current attempt was dispatched
 * @param deadline         when the in-flight attempt times out (heartbeats push it out)
 * @param nextAttemptAt    when the next attempt is dispatched, while waiting for a retry
 * @param lastSeq          seq of the last job event emitted; the next one gets lastSeq + 1
 * @param payload          the webhook body the job was requested with
 * @param outputs          {stage: output} of every completed stage
 * @param traceparent      the W3C trace context every record of this job carries
 * @param firstFailureAt   first failure of the current stage (null until one)
 * @param lastFailure      latest failure of the current stage (null until one)
 * @param endedAt          when the job reached its terminal status (null while it runs; null in states stored
 *                         before this field existed, which are then kept for the retention from the restart)
 * @param attemptBase      attempts numbered before the latest replay: attempt numbers go on across replays (so a
 *                         late result of an attempt from before a replay is never taken for a new one), while the
 *                         retry budget counts only {@code attempt - attemptBase}
 * @param highestAttempt   the highest attempt number dispatched for any stage of the job
 * @param replays          how often an operator replayed the job
 * @param replayIds        the replay ids the job has taken or refused, so a repeated replay command does nothing
 */
public record JobState(
        String jobId,
        String connection,
        String eventType,
        String deliveryId,
        String requestId,
        String pipeline,
        JobStatus status,
        String stage,
        int stageIndex,
        int attempt,
        AttemptPhase phase,
        String requestEventId,
        Instant attemptStartedAt,
        Instant deadline,
        Instant nextAttemptAt,
        long lastSeq,
        JsonNode payload,
        ObjectNode outputs,
        String traceparent,
        Instant firstFailureAt,
        StageFailure lastFailure,
        Instant endedAt,
        int attemptBase,
        int highestAttempt,
        int replays,
        List<String> replayIds) {

    public JobState {
        // States stored before these fields existed read them as 0 and null.
        replayIds = replayIds == null ? List.of() : List.copyOf(replayIds);
        // A held attempt was never dispatched: its number is not used yet.
        highestAttempt = phase == AttemptPhase.HELD ? highestAttempt : Math.max(highestAttempt, attempt);
    }

    /** The current attempt counted from the latest replay: what the stage's retry budget is spent on. */
    public int attemptInRound() {
        return attempt - attemptBase;
    }

    /** True when {@code stage}/{@code attempt} is the attempt this job is waiting on a worker for. */
    public boolean isInFlight(String stageName, int attemptNumber) {
        return status == JobStatus.RUNNING && phase == AttemptPhase.IN_FLIGHT
                && stage != null && stage.equals(stageName) && attempt == attemptNumber;
    }

    /** True when the job waits for breaker {@code breaker} ({@code <pipeline>/<stage>}) to let it through. */
    public boolean isHeldBy(String breaker) {
        return status == JobStatus.HELD && phase == AttemptPhase.HELD && breaker.equals(heldBy());
    }

    /** The breaker a HELD job waits for, else null. */
    public String heldBy() {
        return status == JobStatus.HELD && pipeline != null && stage != null
                ? BreakerState.nameOf(pipeline, stage) : null;
    }

    /** True when {@code stage}/{@code attempt} failed and its retry has not been dispatched yet. */
    public boolean isWaitingForRetry(String stageName, int attemptNumber) {
        return status == JobStatus.RUNNING && phase == AttemptPhase.WAITING_FOR_RETRY
                && stage != null && stage.equals(stageName) && attempt == attemptNumber;
    }

    Builder toBuilder() {
        return new Builder(this);
    }

    /** The state machine's way to derive the next state; never escapes the machine package. */
    static final class Builder {
        private final String jobId;
        private final String connection;
        private final String eventType;
        private final String deliveryId;
        private final String requestId;
        private JsonNode payload;
        private final String traceparent;
        private String pipeline;
        private JobStatus status;
        private String stage;
        private int stageIndex;
        private int attempt;
        private AttemptPhase phase;
        private String requestEventId;
        private Instant attemptStartedAt;
        private Instant deadline;
        private Instant nextAttemptAt;
        private long lastSeq;
        private ObjectNode outputs;
        private Instant firstFailureAt;
        private StageFailure lastFailure;
        private Instant endedAt;
        private int attemptBase;
        private int highestAttempt;
        private int replays;
        private List<String> replayIds = List.of();

        Builder(String jobId, String connection, String eventType, String deliveryId, String requestId,
                JsonNode payload, String traceparent, ObjectNode outputs) {
            this.jobId = jobId;
            this.connection = connection;
            this.eventType = eventType;
            this.deliveryId = deliveryId;
            this.requestId = requestId;
            this.payload = payload;
            this.traceparent = traceparent;
            this.outputs = outputs;
            this.status = JobStatus.ACCEPTED;
            this.phase = AttemptPhase.NONE;
        }

        private Builder(JobState s) {
            this(s.jobId, s.connection, s.eventType, s.deliveryId, s.requestId, s.payload, s.traceparent, s.outputs);
            pipeline = s.pipeline;
            status = s.status;
            stage = s.stage;
            stageIndex = s.stageIndex;
            attempt = s.attempt;
            phase = s.phase;
            requestEventId = s.requestEventId;
            attemptStartedAt = s.attemptStartedAt;
            deadline = s.deadline;
            nextAttemptAt = s.nextAttemptAt;
            lastSeq = s.lastSeq;
            firstFailureAt = s.firstFailureAt;
            lastFailure = s.lastFailure;
            endedAt = s.endedAt;
            attemptBase = s.attemptBase;
            highestAttempt = s.highestAttempt;
            replays = s.replays;
            replayIds = s.replayIds;
        }

        String jobId() {
            return jobId;
        }

        String connection() {
            return connection;
        }

        String eventType() {
            return eventType;
        }

        String deliveryId() {
            return deliveryId;
        }

        JsonNode payload() {
            return payload;
        }

        String pipeline() {
            return pipeline;
        }

        String stage() {
            return stage;
        }

        int stageIndex() {
            return stageIndex;
        }

        int attempt() {
            return attempt;
        }

        String requestEventId() {
            return requestEventId;
        }

        Instant attemptStartedAt() {
            return attemptStartedAt;
        }

        Instant deadline() {
            return deadline;
        }

        ObjectNode outputs() {
            return outputs;
        }

        Instant firstFailureAt() {
            return firstFailureAt;
        }

        long nextSeq() {
            return ++lastSeq;
        }

        Builder pipeline(String value) {
            pipeline = value;
            return this;
        }

        Builder status(JobStatus value) {
            status = value;
            return this;
        }

        /** Makes {@code attempt} of the stage at {@code index} the in-flight one. */
        Builder attemptInFlight(String stageName, int index, int attemptNumber, String eventId,
                                Instant startedAt, Instant attemptDeadline) {
            at(stageName, index, attemptNumber, AttemptPhase.IN_FLIGHT);
            requestEventId = eventId;
            attemptStartedAt = startedAt;
            deadline = attemptDeadline;
            nextAttemptAt = null;
            highestAttempt = Math.max(highestAttempt, attemptNumber);
            if (attemptNumber == attemptBase + 1) {
                firstFailureAt = null;
                lastFailure = null;
            }
            return this;
        }

        int attemptBase() {
            return attemptBase;
        }

        int replays() {
            return replays;
        }

        boolean hasSeenReplay(String replayId) {
            return replayIds.contains(replayId);
        }

        /** Remembers a replay id; the oldest are let go past {@code keep}, so the list stays bounded. */
        Builder replayIdSeen(String replayId, int keep) {
            List<String> ids = new ArrayList<>(replayIds);
            ids.add(replayId);
            replayIds = ids.size() > keep ? List.copyOf(ids.subList(ids.size() - keep, ids.size())) : List.copyOf(ids);
            return this;
        }

        /** Starts a new round of attempts after every number used so far, with a fresh budget. */
        Builder replayed(JsonNode newPayload, ObjectNode keptOutputs) {
            replays++;
            attemptBase = highestAttempt;
            payload = newPayload;
            outputs = keptOutputs;
            firstFailureAt = null;
            lastFailure = null;
            return this;
        }

        /**
         * The job waits for its stage's breaker instead of dispatching {@code attemptNumber}: nothing is sent, no
         * deadline runs, and the attempt is not counted as dispatched.
         */
        Builder held(String stageName, int index, int attemptNumber) {
            at(stageName, index, attemptNumber, AttemptPhase.HELD);
            deadline = null;
            nextAttemptAt = null;
            return this;
        }

        private void at(String stageName, int index, int attemptNumber, AttemptPhase attemptPhase) {
            stage = stageName;
            stageIndex = index;
            attempt = attemptNumber;
            phase = attemptPhase;
        }

        Builder deadline(Instant value) {
            deadline = value;
            return this;
        }

        Builder waitingForRetry(Instant at) {
            phase = AttemptPhase.WAITING_FOR_RETRY;
            nextAttemptAt = at;
            return this;
        }

        Builder noAttempt() {
            phase = AttemptPhase.NONE;
            nextAttemptAt = null;
            return this;
        }

        Builder outputs(ObjectNode value) {
            outputs = value;
            return this;
        }

        JobStatus status() {
            return status;
        }

        /** Stamps the moment the job ended, once: later late results leave it as it was. */
        Builder endedAtIfTerminal(Instant now) {
            if (!status.terminal()) {
                endedAt = null;
            } else if (endedAt == null) {
                endedAt = now;
            }
            return this;
        }

        Instant endedAt() {
            return endedAt;
        }

        /** Forgets when the job ended, so that the transition that follows stamps it again. */
        Builder endedAtCleared() {
            endedAt = null;
            return this;
        }

        Builder failed(StageFailure failure) {
            if (firstFailureAt == null) {
                firstFailureAt = failure.at();
            }
            lastFailure = failure;
            return this;
        }

        JobState build() {
            return new JobState(jobId, connection, eventType, deliveryId, requestId, pipeline, status, stage,
                    stageIndex, attempt, phase, requestEventId, attemptStartedAt, deadline, nextAttemptAt, lastSeq,
                    payload, outputs, traceparent, firstFailureAt, lastFailure, endedAt, attemptBase, highestAttempt,
                    replays, replayIds);
        }
    }
}
