package io.jobpipe.core.kafka;

import io.jobpipe.core.breaker.BreakerState;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.JobRequested;
import io.jobpipe.core.event.OpsCommand;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.core.event.StageResult;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Every jobpipe topic, declared once with its serdes. Production code and tests use the same
 * declarations; a {@code namespace} (empty in production) prefixes every name so that tests sharing
 * one broker never share a topic.
 */
public final class Topics {
    public static final Topics DEFAULT = new Topics("");

    private static final String STAGE_PREFIX = "jobpipe.stage.";
    private static final String DEAD_LETTER_SUFFIX = ".dlq";

    public final Topic<JobRequested> jobsRequested;
    public final Topic<StageResult> stageResults;
    public final Topic<JobEvent> jobEvents;
    /** {@code jobpipe.ops.commands}: an operator's ReplayJob / CancelJob, key = jobId. */
    public final Topic<OpsCommand> opsCommands;
    /** {@code jobpipe.breakers}: each stage's circuit-breaker state, key = {@code <pipeline>/<stage>}; compacted, one partition. */
    public final Topic<BreakerState> breakers;
    /** {@code jobpipe.poison}: records a consumer could not read, raw, with {@link PoisonHeaders}; not job-keyed. */
    public final String poison;
    private final String namespace;
    private final JsonSerde<StageRequested> stageRequestSerde = new JsonSerde<>(StageRequested.class);

    public Topics(String namespace) {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.jobsRequested = new Topic<>(namespace + "jobpipe.jobs.requested", new JsonSerde<>(JobRequested.class));
        this.stageResults = new Topic<>(namespace + "jobpipe.stage.results", new JsonSerde<>(StageResult.class));
        this.jobEvents = new Topic<>(namespace + "jobpipe.job.events", new JsonSerde<>(JobEvent.class));
        this.opsCommands = new Topic<>(namespace + "jobpipe.ops.commands", new JsonSerde<>(OpsCommand.class));
        this.breakers = new Topic<>(namespace + "jobpipe.breakers", new JsonSerde<>(BreakerState.class));
        this.poison = namespace + "jobpipe.poison";
    }

    public static Topics of(String namespace) {
        return namespace == null || namespace.isEmpty() ? DEFAULT : new Topics(namespace);
    }

    public String namespace() {
        return namespace;
    }

    /** {@code jobpipe.stage.<stage>}: StageRequested for that stage's workers. */
    public Topic<StageRequested> stage(String stage) {
        return new Topic<>(namespace + STAGE_PREFIX + stage, stageRequestSerde);
    }

    /** {@code jobpipe.stage.<stage>.dlq}: the StageRequested that died, with failure headers. */
    public Topic<StageRequested> deadLetter(String stage) {
        return new Topic<>(namespace + STAGE_PREFIX + stage + DEAD_LETTER_SUFFIX, stageRequestSerde);
    }

    /** The stage a stage-request topic name belongs to, or null if the name is not one. */
    public String stageOf(String topicName) {
        String prefix = namespace + STAGE_PREFIX;
        if (!topicName.startsWith(prefix) || topicName.endsWith(DEAD_LETTER_SUFFIX)
                || topicName.equals(stageResults.name())) {
            return null;
        }
        return topicName.substring(prefix.length());
    }

    /** Every topic name a system running {@code stages} needs: the job-keyed ones, then the dead-letter and poison topics. */
    public List<String> allNames(Collection<String> stages) {
        List<String> names = new ArrayList<>(jobKeyedNames(stages));
        stages.forEach(stage -> names.add(deadLetter(stage).name()));
        names.add(poison);
        return names;
    }

    /** The topics keyed by jobId, which must all have the same partition count (co-partitioned). */
    public List<String> jobKeyedNames(Collection<String> stages) {
        List<String> names = new ArrayList<>(List.of(jobsRequested.name(), stageResults.name(), jobEvents.name(),
                opsCommands.name()));
        stages.forEach(stage -> names.add(stage(stage).name()));
        return names;
    }
}
