package io.jobpipe.orchestrator.metrics;

import io.jobpipe.core.breaker.BreakerState;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.pipeline.PipelineCatalog;
import io.jobpipe.orchestrator.machine.JobState;
import io.jobpipe.orchestrator.machine.Transition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The orchestrator's meters (Prometheus names):
 * <ul>
 *   <li>{@code jobpipe_orchestrator_transitions_total{type, stage}}: job events emitted, by event type
 *       ({@code JobAccepted}, {@code StageDispatched}, ..., {@code JobDeadLettered}) and stage ({@code none} for job-level
 *       events). Dead letters are {@code type="JobDeadLettered"}; those series exist at 0 from the start.</li>
 *   <li>{@code jobpipe_orchestrator_jobs_in_flight}: jobs this instance owns that are ACCEPTED or RUNNING;</li>
 *   <li>{@code jobpipe_orchestrator_timers_pending}: timers waiting in this instance's in-memory timer indexes (retention timers included);</li>
 *   <li>Kafka Streams' own metrics ({@code kafka_stream_*}, e.g. {@code record-e2e-latency}), see {@link KafkaStreamsMeters}.</li>
 * </ul>
 * Counted where the stream thread already is, never by scanning a store per scrape: each task's processor keeps a
 * {@link TaskMeters}; the gauges add up the open ones. Counts are made while processing, so a transaction that aborts
 * and is processed again counts twice; the in-flight count is exact again whenever a task is (re)initialised.
 */
@Singleton
public final class OrchestratorMetrics {
    public static final String TRANSITIONS = "jobpipe.orchestrator.transitions";
    public static final String JOBS_IN_FLIGHT = "jobpipe.orchestrator.jobs.in.flight";
    public static final String TIMERS_PENDING = "jobpipe.orchestrator.timers.pending";
    /** Records copied to jobpipe.poison because they could not be read, by source topic (same name in every service). */
    public static final String BREAKER_CHANGES = "jobpipe.orchestrator.breaker.changes";
    public static final String POISON_RECORDS = "jobpipe.poison.records";
    /** The stage label of job-level events (accepted, completed, failed without a stage). */
    public static final String NO_STAGE = "none";
    /** The stage label of a stage the catalog does not know (a late result can name anything). */
    public static final String UNKNOWN_STAGE = "unknown";
    private static final List<String> STAGE_EVENTS = List.of("StageDispatched", "StageCompleted",
            "StageAttemptFailed", "JobFailed", "JobDeadLettered");
    private static final List<String> JOB_EVENTS = List.of("JobAccepted", "JobCompleted", "JobFailed");

    private final MeterRegistry registry;
    private final Set<String> stages;
    private final Set<TaskMeters> openTasks = ConcurrentHashMap.newKeySet();
    private final Map<String, Counter> transitions = new ConcurrentHashMap<>();
    private final KafkaStreamsMeters streams;

    public OrchestratorMetrics(MeterRegistry registry, PipelineCatalog catalog) {
        this.registry = registry;
        this.stages = Set.copyOf(catalog.allStageNames());
        this.streams = new KafkaStreamsMeters(registry);
        Gauge.builder(JOBS_IN_FLIGHT, openTasks, tasks -> tasks.stream().mapToLong(TaskMeters::jobsInFlight).sum())
                .description("Jobs owned by this instance that are accepted or running")
                .register(registry);
        Gauge.builder(TIMERS_PENDING, openTasks, tasks -> tasks.stream().mapToLong(TaskMeters::timersPending).sum())
                .description("Retry, timeout and retention timers waiting in this instance's timer indexes")
                .register(registry);
        // Present at 0 before the first one, so rate() and alerts on dead letters work from the start.
        stages.forEach(stage -> STAGE_EVENTS.forEach(type -> transitionCounter(type, stage)));
        JOB_EVENTS.forEach(type -> transitionCounter(type, NO_STAGE));
    }

    /** Meters in a registry nobody scrapes: for topologies built without the service (tests). */
    public static OrchestratorMetrics unregistered(PipelineCatalog catalog) {
        return new OrchestratorMetrics(new SimpleMeterRegistry(), catalog);
    }

    /** The meters of one stream task's processor, counted from now; {@link TaskMeters#close()} when it closes. */
    public TaskMeters openTask() {
        TaskMeters task = new TaskMeters(this);
        openTasks.add(task);
        return task;
    }

    /** Kafka Streams' metrics follow the application through its state changes. */
    public void streamsStateChanged(KafkaStreams kafkaStreams, KafkaStreams.State now) {
        streams.stateChanged(kafkaStreams, now);
    }

    @PreDestroy
    public void close() {
        streams.close();
    }

    void closed(TaskMeters task) {
        openTasks.remove(task);
    }

    /** Counts the job events of {@code transition}; its in-flight effect goes to the task's count. */
    void countEvents(Transition transition) {
        for (JobEvent event : transition.events()) {
            transitionCounter(event.getClass().getSimpleName(), stageLabel(stageOf(event))).increment();
        }
    }

    /** Counts one record of {@code topic} that could not be read and went to the poison topic. */
    public void poisonRecord(String topic) {
        Counter.builder(POISON_RECORDS).description("Records that could not be read, copied to the poison topic")
                .tag("topic", topic).register(registry).increment();
    }

    /** Counts a circuit-breaker state this orchestrator wrote (opened, probing, closed). */
    public void breakerChanged(BreakerState state) {
        Counter.builder(BREAKER_CHANGES).description("Circuit-breaker states the orchestrator wrote, by breaker and state")
                .tag("breaker", state.breaker()).tag("state", state.status().name()).register(registry).increment();
    }

    public static boolean inFlight(JobState state) {
        return state != null && !state.status().terminal();
    }

    private Counter transitionCounter(String type, String stage) {
        return transitions.computeIfAbsent(type + ' ' + stage, key -> Counter.builder(TRANSITIONS)
                .description("Job events the state machine emitted, by type and stage")
                .tag("type", type)
                .tag("stage", stage)
                .register(registry));
    }

    private String stageLabel(String stage) {
        if (stage == null) {
            return NO_STAGE;
        }
        return stages.contains(stage) ? stage : UNKNOWN_STAGE;
    }

    private static String stageOf(JobEvent event) {
        if (event instanceof JobEvent.StageDispatched e) {
            return e.stage();
        } else if (event instanceof JobEvent.StageCompleted e) {
            return e.stage();
        } else if (event instanceof JobEvent.StageAttemptFailed e) {
            return e.stage();
        } else if (event instanceof JobEvent.LateResultIgnored e) {
            return e.stage();
        } else if (event instanceof JobEvent.JobFailed e) {
            return e.stage();
        } else if (event instanceof JobEvent.JobDeadLettered e) {
            return e.stage();
        } else if (event instanceof JobEvent.JobReplayed e) {
            return e.fromStage();
        } else if (event instanceof JobEvent.JobCancelled e) {
            return e.stage();
        } else if (event instanceof JobEvent.JobHeld e) {
            return e.stage();
        } else if (event instanceof JobEvent.JobReleased e) {
            return e.stage();
        }
        return null;
    }
}
