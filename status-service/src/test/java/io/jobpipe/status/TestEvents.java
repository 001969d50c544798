package io.jobpipe.status;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.JobEvent.JobAccepted;
import io.jobpipe.core.event.JobEvent.JobCompleted;
import io.jobpipe.core.event.JobEvent.StageAttemptFailed;
import io.jobpipe.core.event.JobEvent.StageCompleted;
import io.jobpipe.core.event.JobEvent.StageDispatched;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.status.store.IncomingEvent;
import io.jobpipe.status.store.JobEventProjector;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Job histories as the orchestrator writes them. */
public final class TestEvents {
    public static final List<String> STAGES = List.of("validate", "normalize", "enrich");
    public static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    public static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    private TestEvents() {
    }

    public static Instant at(Instant t0, int seconds) {
        return t0.plusSeconds(seconds);
    }

    public static JobAccepted accepted(String jobId, Instant t0) {
        return new JobAccepted("evt-" + jobId + "-1", jobId, t0, 1, "github", "delivery-" + jobId, "push",
                "req-" + jobId, "default", STAGES);
    }

    /**
     * A whole successful run over {@link #STAGES}, normalize needing a second attempt: ten events, seq 1..10,
     * one second apart.
     */
    public static List<JobEvent> successfulRun(String jobId, Instant t0) {
        return List.of(
                accepted(jobId, t0),
                new StageDispatched(eid(jobId, 2), jobId, at(t0, 1), 2, "validate", 0, 1, at(t0, 31)),
                new StageCompleted(eid(jobId, 3), jobId, at(t0, 2), 3, "validate", 1, at(t0, 1), 900,
                        "payload valid", JsonNodeFactory.instance.objectNode().put("valid", true)),
                new StageDispatched(eid(jobId, 4), jobId, at(t0, 3), 4, "normalize", 1, 1, at(t0, 33)),
                new StageAttemptFailed(eid(jobId, 5), jobId, at(t0, 4), 5, "normalize", 1, at(t0, 3), 800,
                        "Timeout", "agent did not answer", true, at(t0, 5)),
                new StageDispatched(eid(jobId, 6), jobId, at(t0, 5), 6, "normalize", 1, 2, at(t0, 35)),
                new StageCompleted(eid(jobId, 7), jobId, at(t0, 6), 7, "normalize", 2, at(t0, 5), 700,
                        "github push", JsonNodeFactory.instance.objectNode().put("source", "github")),
                new StageDispatched(eid(jobId, 8), jobId, at(t0, 7), 8, "enrich", 2, 1, at(t0, 37)),
                new StageCompleted(eid(jobId, 9), jobId, at(t0, 8), 9, "enrich", 1, at(t0, 7), 600,
                        "enriched", null),
                new JobCompleted(eid(jobId, 10), jobId, at(t0, 9), 10));
    }

    /** validate and normalize succeed, enrich fails its fifth attempt and is dead-lettered: seq 1..10. */
    public static List<JobEvent> deadLetteredAtEnrich(String jobId, Instant t0) {
        List<JobEvent> events = new ArrayList<>(successfulRun(jobId, t0).subList(0, 8));
        events.add(new StageAttemptFailed(eid(jobId, 9), jobId, t0.plusSeconds(8), 9, "enrich", 5,
                t0.plusSeconds(7), 500, "HttpError", "503 from agent", true, null));
        events.add(new JobEvent.JobDeadLettered(eid(jobId, 10), jobId, t0.plusSeconds(9), 10, "enrich", 5,
                "HttpError", "503 from agent", "jobpipe.stage.enrich.dlq"));
        return List.copyOf(events);
    }

    /**
     * normalize's first attempt fails, and its retry is held by the open breaker default/normalize (seq 6), released as
     * the probe (seq 7) and dispatched (seq 8): eight events, seq 1..8.
     */
    public static List<JobEvent> heldAtNormalize(String jobId, Instant t0) {
        List<JobEvent> events = new ArrayList<>(successfulRun(jobId, t0).subList(0, 5));
        events.add(new JobEvent.JobHeld(eid(jobId, 6), jobId, at(t0, 5), 6, "normalize", 2, "default/normalize",
                "12 of the last 20 attempts failed"));
        events.add(new JobEvent.JobReleased(eid(jobId, 7), jobId, at(t0, 40), 7, "normalize", "default/normalize",
                true, "probe after 30s open"));
        events.add(new StageDispatched(eid(jobId, 8), jobId, at(t0, 40), 8, "normalize", 1, 2, at(t0, 70)));
        return List.copyOf(events);
    }

    /** The first replay of a job dead-lettered at enrich, by ops:alice, with an input patch. */
    public static JobEvent.JobReplayed replayed(String jobId, Instant t0, long seq, String fromStage) {
        return new JobEvent.JobReplayed(eid(jobId, seq), jobId, t0.plusSeconds(seq), seq, "rpl_1", 1, "ops:alice",
                "agent fixed", null, "enrich", fromStage, true, JsonNodeFactory.instance.objectNode().put("x", 1));
    }

    public static String eid(String jobId, long seq) {
        return "evt-" + jobId + "-" + seq;
    }

    public static String json(JobEvent event) {
        return new String(Topics.DEFAULT.jobEvents.valueSerde().serializer().serialize("t", event),
                StandardCharsets.UTF_8);
    }

    public static final String PARSER_TIMEOUT_LOG = "connecting to the parser\nno answer after 30 s\n";
    public static final String PARSED_LOG = "parsed 3 pages\n";

    /**
     * {@link #successfulRun} where normalize's failed attempt 1 logged {@link #PARSER_TIMEOUT_LOG} and its attempt 2
     * {@link #PARSED_LOG}; validate and enrich logged nothing.
     */
    public static List<JobEvent> loggedRun(String jobId, Instant t0) {
        List<JobEvent> events = new ArrayList<>(successfulRun(jobId, t0));
        events.set(4, ((StageAttemptFailed) events.get(4)).withLog(PARSER_TIMEOUT_LOG));
        events.set(6, ((StageCompleted) events.get(6)).withLog(PARSED_LOG));
        return List.copyOf(events);
    }

    public static IncomingEvent incoming(JobEvent event) {
        return new IncomingEvent(event, json(event), TRACE_ID, "test");
    }

    public static List<IncomingEvent> incoming(List<JobEvent> events) {
        return events.stream().map(TestEvents::incoming).toList();
    }

    /**
     * Projects {@code events} and writes every job's rows at once, as the live projection leaves them once its
     * progress delay has passed: for tests of what reads the rows (listings, filters, stats, exports, ops, retention).
     */
    public static void projectAndWrite(JobEventProjector projector, List<JobEvent> events) {
        projector.project(incoming(events));
        projector.writeAllProgress(true);
    }
}
