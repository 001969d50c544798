package io.jobpipe.status.projection;

import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.JobStatus;

import java.util.List;

/**
 * The read model's rules: what a job event does to its job and stage rows. A pure function of
 * (the job as projected so far, the next event, the trace id of the record that carried it).
 *
 * <p>Events are applied in {@code seq} order; one at or below the job's {@code lastSeq} is stale and changes
 * nothing, so a replayed or duplicated event can never move a job backwards.
 */
public final class JobProjectionRules {
    /** The error class of a cancelled job: a cancellation has no error type of its own. */
    public static final String CANCELLED_CLASS = "Cancelled";

    /** How an event's seq relates to the job's last applied seq. */
    public enum Order {
        /** Exactly {@code lastSeq + 1}: the normal case. */
        NEXT,
        /** Higher than {@code lastSeq + 1}: events are missing; applied anyway, and worth an alarm. */
        GAP,
        /** At or below {@code lastSeq}: already applied or out of order; ignored. */
        STALE
    }

    private JobProjectionRules() {
    }

    public static Order order(long lastSeq, long seq) {
        if (seq <= lastSeq) {
            return Order.STALE;
        }
        return seq == lastSeq + 1 ? Order.NEXT : Order.GAP;
    }

    /**
     * The job after {@code event}.
     *
     * @param current the job so far, or null when no event of it was applied yet
     * @param traceId the trace id of the record that carried the event, or null
     */
    public static JobView apply(JobView current, JobEvent event, String traceId) {
        JobView job = current != null ? current : newJob(event);
        if (order(job.lastSeq(), event.seq()) == Order.STALE) {
            return job;
        }
        JobView.Builder next = job.toBuilder()
                .lastSeq(event.seq())
                .updatedAt(event.occurredAt())
                .traceId(job.traceId() != null ? job.traceId() : traceId);
        // Java 17: no pattern switch; the chain lists every JobEvent type (the sealed interface's permits).
        if (event instanceof JobEvent.JobAccepted e) {
            accepted(job, next, e);
        } else if (event instanceof JobEvent.StageDispatched e) {
            dispatched(job, next, e);
        } else if (event instanceof JobEvent.StageCompleted e) {
            completed(job, next, e);
        } else if (event instanceof JobEvent.StageAttemptFailed e) {
            attemptFailed(job, next, e);
        } else if (event instanceof JobEvent.JobCompleted e) {
            next.state(JobStatus.COMPLETED).finishedAt(e.occurredAt()).currentStage(null).currentAttempt(null)
                    .error(null, null);
        } else if (event instanceof JobEvent.JobFailed e) {
            String error = describe(e.errorType(), e.message());
            next.state(JobStatus.FAILED).finishedAt(e.occurredAt()).error(e.errorType(), error);
            if (e.stage() != null) {
                next.currentStage(e.stage())
                        .stage(stageOf(job, e.stage()).withStatus(StageStatus.FAILED).withError(error));
            }
        } else if (event instanceof JobEvent.JobDeadLettered e) {
            String error = describe(e.errorType(), e.message());
            next.state(JobStatus.DEAD_LETTERED).finishedAt(e.occurredAt()).error(e.errorType(), error);
            if (e.stage() != null) {
                next.currentStage(e.stage()).stage(stageOf(job, e.stage()).withAttempt(e.attempts(), null)
                        .withStatus(StageStatus.DEAD_LETTERED).withError(error));
            }
        } else if (event instanceof JobEvent.JobReplayed e) {
            replayed(job, next, e);
        } else if (event instanceof JobEvent.JobCancelled e) {
            cancelled(job, next, e);
        } else if (event instanceof JobEvent.JobHeld e) {
            held(job, next, e);
        }
        // LateResultIgnored and ReplayRefused only land in the history: a stale result must not touch the job.
        // JobReleased too: the job stays HELD until the StageDispatched that follows it makes it RUNNING.
        return next.build();
    }

    private static JobView newJob(JobEvent event) {
        return new JobView(event.jobId(), null, null, null, null, null, JobStatus.ACCEPTED, null, null, 0L,
                null, null, null, event.occurredAt(), event.occurredAt(), null, List.of());
    }

    private static void accepted(JobView job, JobView.Builder next, JobEvent.JobAccepted e) {
        next.connection(e.connection()).eventType(e.eventType()).deliveryId(e.deliveryId())
                .requestId(e.requestId()).pipeline(e.pipeline()).createdAt(e.occurredAt());
        List<String> stages = e.stages();
        for (int i = 0; i < stages.size(); i++) {
            if (job.stage(stages.get(i)).isEmpty()) {
                next.stage(StageView.pending(stages.get(i), i));
            }
        }
    }

    private static void dispatched(JobView job, JobView.Builder next, JobEvent.StageDispatched e) {
        if (e.stage() == null) {
            return;
        }
        StageView stage = job.stage(e.stage()).orElseGet(() -> StageView.pending(e.stage(), e.stageIndex()));
        next.stage(stage.withAttempt(e.attempt(), e.occurredAt()).running())
                .currentStage(e.stage()).currentAttempt(e.attempt())
                // A dispatch after a dead letter is an operator's replay: the job runs again.
                .state(JobStatus.RUNNING).finishedAt(null).error(null, null);
    }

    private static void completed(JobView job, JobView.Builder next, JobEvent.StageCompleted e) {
        if (e.stage() == null) {
            return;
        }
        StageView stage = stageOf(job, e.stage()).withAttempt(e.attempt(), e.startedAt());
        next.stage(stage.finished(StageStatus.SUCCEEDED, e.occurredAt(), e.durationMs(), e.summary(), e.output(), null,
                e.attempt(), e.log()));
        markRunning(job, next);
    }

    private static void attemptFailed(JobView job, JobView.Builder next, JobEvent.StageAttemptFailed e) {
        if (e.stage() == null) {
            return;
        }
        StageStatus status = e.nextAttemptAt() != null ? StageStatus.RETRYING : StageStatus.FAILED;
        StageView stage = stageOf(job, e.stage()).withAttempt(e.attempt(), e.startedAt());
        next.stage(stage.finished(status, e.occurredAt(), e.durationMs(), stage.summary(), stage.output(),
                describe(e.errorType(), e.message()), e.attempt(), e.log()));
        markRunning(job, next);
    }

    /**
     * The job runs again from {@code fromStage} (the dead-lettered stage when none was named): that stage and every
     * later one are pending again. Attempt counters stay, so the document still shows what the stage went through.
     */
    private static void replayed(JobView job, JobView.Builder next, JobEvent.JobReplayed e) {
        String from = e.fromStage() != null ? e.fromStage()
                : e.deadLetteredStage() != null ? e.deadLetteredStage() : job.currentStage();
        int fromPosition = from == null ? 0 : stageOf(job, from).position();
        for (StageView stage : job.stages()) {
            if (stage.position() >= fromPosition) {
                next.stage(stage.reset());
            }
        }
        next.state(JobStatus.RUNNING).finishedAt(null).error(null, null).currentStage(from).currentAttempt(null);
    }

    /**
     * The stage's breaker is open: its next attempt was not sent. No attempt is under way, so the job has no current
     * attempt; the stage keeps its counts and its last error (a retry may be what was held).
     */
    private static void held(JobView job, JobView.Builder next, JobEvent.JobHeld e) {
        if (e.stage() == null) {
            return;
        }
        next.state(JobStatus.HELD).finishedAt(null).currentStage(e.stage()).currentAttempt(null)
                .stage(stageOf(job, e.stage()).withStatus(StageStatus.HELD));
    }

    /** Terminal: the stage that was under way (if any) shows it was cancelled, finished stages keep their result. */
    private static void cancelled(JobView job, JobView.Builder next, JobEvent.JobCancelled e) {
        String error = cancellation(e.requestedBy(), e.reason());
        next.state(JobStatus.CANCELLED).finishedAt(e.occurredAt()).error(CANCELLED_CLASS, error).currentAttempt(null);
        if (e.stage() == null) {
            return;
        }
        StageView stage = stageOf(job, e.stage());
        if (stage.status() != StageStatus.SUCCEEDED) {
            next.stage(stage.withStatus(StageStatus.CANCELLED).withError(error));
        }
    }

    private static String cancellation(String requestedBy, String reason) {
        String by = requestedBy == null ? "cancelled" : "cancelled by " + requestedBy;
        return reason == null || reason.isBlank() ? by : by + " (" + reason + ")";
    }

    private static void markRunning(JobView job, JobView.Builder next) {
        if (!job.state().terminal()) {
            next.state(JobStatus.RUNNING);
        }
    }

    /** The stage, or a new one after the known ones when the job's JobAccepted was never seen. */
    private static StageView stageOf(JobView job, String name) {
        return job.stage(name).orElseGet(() -> StageView.pending(name,
                job.stages().stream().mapToInt(StageView::position).max().orElse(-1) + 1));
    }

    static String describe(String errorType, String message) {
        if (errorType == null) {
            return message;
        }
        return message == null || message.isBlank() ? errorType : errorType + ": " + message;
    }

}
