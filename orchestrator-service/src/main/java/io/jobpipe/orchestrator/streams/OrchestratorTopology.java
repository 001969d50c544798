package io.jobpipe.orchestrator.streams;

import io.jobpipe.core.event.EventIds;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.core.kafka.JsonSerde;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.core.pipeline.PipelineCatalog;
import io.jobpipe.orchestrator.machine.JobState;
import io.jobpipe.orchestrator.machine.JobStateMachine;
import io.jobpipe.orchestrator.metrics.OrchestratorMetrics;
import io.opentelemetry.api.trace.Tracer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.apache.kafka.streams.state.Stores;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The orchestrator's topology: one processor runs every job's {@link JobStateMachine}.
 * <table>
 *   <caption>Topics (key = jobId everywhere; the input topics are co-partitioned)</caption>
 *   <tr><th>direction</th><th>topic</th><th>value</th></tr>
 *   <tr><td>in</td><td>{@code jobpipe.jobs.requested}</td><td>JobRequested ({@code traceparent} header kept per job)</td></tr>
 *   <tr><td>in</td><td>{@code jobpipe.stage.results}</td><td>StageSucceeded / StageFailed / StageHeartbeat</td></tr>
 *   <tr><td>in</td><td>{@code jobpipe.ops.commands}</td><td>ReplayJob / CancelJob from operators</td></tr>
 *   <tr><td>out</td><td>{@code jobpipe.stage.<stage>}</td><td>StageRequested, one per attempt</td></tr>
 *   <tr><td>out</td><td>{@code jobpipe.job.events}</td><td>JobEvent, seq 1, 2, 3… per job</td></tr>
 *   <tr><td>in/out</td><td>{@code jobpipe.breakers}</td><td>BreakerState, key = {@code <pipeline>/<stage>} (compacted;
 *       read by every task as the global store {@value #BREAKERS_STORE}, written when a breaker opens, probes or
 *       closes)</td></tr>
 *   <tr><td>out</td><td>{@code jobpipe.stage.<stage>.dlq}</td><td>the StageRequested that ran out of attempts, with
 *       {@link io.jobpipe.core.kafka.DeadLetterHeaders}</td></tr>
 * </table>
 * Every output record carries a {@code traceparent} header in the job's trace. State: {@value #JOB_STATE_STORE}
 * (jobId → JobState JSON, changelogged; a finished job is deleted after its retention) and
 * {@value #SEEN_JOB_REQUESTS_STORE} (the job ids requested in the last 8 days: {@link DuplicateJobRequestFilter}
 * drops a second JobRequested of one before the job processor sees it). Timers are not stored:
 * they follow from the job states and are kept in memory ({@link TimerIndex}), fired by a wall-clock punctuation
 * scheduled for the earliest one only.
 * <p>Failure route: a record that cannot be deserialized, or whose processing throws, is copied to
 * {@code jobpipe.poison} and skipped ({@link PoisonRecords}) and the partition goes on, and so is a record not keyed
 * by its jobId; a stage request too large to send fails its own job ({@link JobProcessor}), and
 * {@link OversizedRecords} keeps any other refused record from killing the stream thread. Results for unknown jobs
 * are dropped; results that do not match the in-flight attempt become LateResultIgnored events.
 */
public final class OrchestratorTopology {
    public static final String JOB_STATE_STORE = "job-state";
    public static final String SEEN_JOB_REQUESTS_STORE = "seen-job-requests";
    static final String DUPLICATE_REQUEST_FILTER = "duplicate-job-request-filter";
    static final String JOBS_REQUESTED_SOURCE = "jobs-requested";
    static final String STAGE_RESULTS_SOURCE = "stage-results";
    static final String OPS_COMMANDS_SOURCE = "ops-commands";
    static final String JOB_PROCESSOR = "job-state-machine";
    static final String STAGE_REQUESTS_SINK = "stage-requests";
    static final String JOB_EVENTS_SINK = "job-events";
    static final String DEAD_LETTERS_SINK = "dead-letters";
    public static final String BREAKERS_STORE = "breakers";
    static final String BREAKERS_SOURCE = "breakers-source";
    static final String BREAKERS_UPDATER = "breakers-updater";
    static final String BREAKERS_SINK = "breakers-sink";

    private final Topics topics;
    private final PipelineCatalog catalog;
    private final Tracer tracer;
    private final JobProcessorSettings settings;
    private final DoubleSupplier random;

    public OrchestratorTopology(Topics topics, PipelineCatalog catalog, Tracer tracer, JobProcessorSettings settings) {
        this(topics, catalog, tracer, settings, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** @param random jitter source for retry delays, fixed in tests */
    public OrchestratorTopology(Topics topics, PipelineCatalog catalog, Tracer tracer, JobProcessorSettings settings,
                                DoubleSupplier random) {
        this.topics = Objects.requireNonNull(topics, "topics");
        // Stage requests and dead letters carry the agents' inline secrets and URLs sealed; workers open them from
        // their own copy of the pipeline file (SealedSettings).
        this.catalog = Objects.requireNonNull(catalog, "catalog").sealed();
        this.tracer = Objects.requireNonNull(tracer, "tracer");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The topology, counting into meters nobody scrapes (for tests of the topology alone). */
    public Topology build() {
        return build(OrchestratorMetrics.unregistered(catalog));
    }

    /** The topology, counting transitions, jobs in flight and timers into {@code metrics}. */
    public Topology build(OrchestratorMetrics metrics) {
        Objects.requireNonNull(metrics, "metrics");
        JsonSerde<StageRequested> stageRequestSerde = new JsonSerde<>(StageRequested.class);
        TopicNameExtractor<String, EncodedStageRequest> stageTopic =
                (jobId, encoded, context) -> topics.stage(encoded.request().stage()).name();
        TopicNameExtractor<String, StageRequested> deadLetterTopic =
                (jobId, request, context) -> topics.deadLetter(request.stage()).name();
        JobStateMachine machine = new JobStateMachine(catalog, stage -> topics.deadLetter(stage).name(),
                EventIds::newEventId, settings.limits());
        JobSpans spans = new JobSpans(tracer);

        Topology topology = new Topology();
        topology.addSource(JOBS_REQUESTED_SOURCE, Serdes.String().deserializer(),
                topics.jobsRequested.valueSerde().deserializer(), topics.jobsRequested.name());
        topology.addSource(STAGE_RESULTS_SOURCE, Serdes.String().deserializer(),
                topics.stageResults.valueSerde().deserializer(), topics.stageResults.name());
        topology.addSource(OPS_COMMANDS_SOURCE, Serdes.String().deserializer(),
                topics.opsCommands.valueSerde().deserializer(), topics.opsCommands.name());
        // A job id starts one job for a week, not only while its job is in the job-state store.
        topology.addProcessor(DUPLICATE_REQUEST_FILTER, DuplicateJobRequestFilter::new, JOBS_REQUESTED_SOURCE);
        topology.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(SEEN_JOB_REQUESTS_STORE,
                DuplicateJobRequestFilter.REMEMBERED, Duration.ofMillis(1), false),
                Serdes.String(), Serdes.ByteArray()), DUPLICATE_REQUEST_FILTER);
        // Every task reads every breaker (a breaker is per stage, not per partition): a global store.
        topology.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(BREAKERS_STORE),
                        Serdes.String(), topics.breakers.valueSerde()).withLoggingDisabled(),
                BREAKERS_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                topics.breakers.name(), BREAKERS_UPDATER, BreakerStoreUpdater::new);
        topology.addProcessor(JOB_PROCESSOR,
                () -> new JobProcessor(machine, catalog, topics, spans, settings, random, metrics),
                DUPLICATE_REQUEST_FILTER, STAGE_RESULTS_SOURCE, OPS_COMMANDS_SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(JOB_STATE_STORE),
                Serdes.String(), new JsonSerde<>(JobState.class)), JOB_PROCESSOR);
        topology.addSink(STAGE_REQUESTS_SINK, stageTopic, Serdes.String().serializer(),
                EncodedStageRequest.SERIALIZER, JOB_PROCESSOR);
        topology.addSink(JOB_EVENTS_SINK, topics.jobEvents.name(), Serdes.String().serializer(),
                topics.jobEvents.valueSerde().serializer(), JOB_PROCESSOR);
        topology.addSink(DEAD_LETTERS_SINK, deadLetterTopic, Serdes.String().serializer(),
                stageRequestSerde.serializer(), JOB_PROCESSOR);
        topology.addSink(BREAKERS_SINK, topics.breakers.name(), Serdes.String().serializer(),
                topics.breakers.valueSerde().serializer(), JOB_PROCESSOR);
        return topology;
    }
}
