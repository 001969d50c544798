package io.jobpipe.status.ops.command;

import io.jobpipe.core.event.JobStatus;
import io.jobpipe.status.projection.JobView;
import io.jobpipe.status.projection.StageView;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Which commands the ops API sends for a job as the read model shows it. Pure. The orchestrator decides again on
 * its own state (the read model may lag); these rules only spare operators commands that cannot apply.
 */
public final class CommandRules {
    /** The states a cancel applies to: a job still under way, held by its stage's breaker, or dead-lettered. */
    public static final Set<JobStatus> CANCELLABLE = EnumSet.of(JobStatus.ACCEPTED, JobStatus.RUNNING,
            JobStatus.HELD, JobStatus.DEAD_LETTERED);

    private CommandRules() {
    }

    /** Why the job cannot be replayed, or empty. */
    public static Optional<String> replayRefusal(JobView job) {
        if (job.state() == JobStatus.DEAD_LETTERED) {
            return Optional.empty();
        }
        return Optional.of("job " + job.jobId() + " is " + job.state()
                + "; only a DEAD_LETTERED job can be replayed");
    }

    /**
     * Why {@code fromStage} is no stage to replay the dead-lettered {@code job} from, or empty: it must be a stage
     * of the job's pipeline at or before the stage it was dead-lettered at.
     */
    public static Optional<String> fromStageRefusal(JobView job, String fromStage) {
        if (fromStage == null) {
            return Optional.empty();
        }
        Optional<StageView> from = job.stage(fromStage);
        if (from.isEmpty()) {
            return Optional.of("fromStage '" + fromStage + "' is not a stage of job " + job.jobId() + "'s pipeline "
                    + job.stages().stream().map(StageView::name).toList());
        }
        Optional<StageView> died = job.currentStage() == null ? Optional.empty() : job.stage(job.currentStage());
        if (died.isPresent() && from.get().position() > died.get().position()) {
            return Optional.of("fromStage '" + fromStage + "' comes after '" + died.get().name()
                    + "', the stage the job was dead-lettered at; replay from it or an earlier stage");
        }
        return Optional.empty();
    }

    /** Why the job cannot be cancelled, or empty: a finished job stays as it ended. */
    public static Optional<String> cancelRefusal(JobView job) {
        if (CANCELLABLE.contains(job.state())) {
            return Optional.empty();
        }
        return Optional.of("job " + job.jobId() + " is " + job.state()
                + " already; cancelling it would change nothing");
    }
}
