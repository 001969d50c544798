package io.jobpipe.orchestrator;

import io.jobpipe.core.breaker.BreakerState;
import io.jobpipe.core.event.EventIds;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.JobRequested;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.core.event.StageResult;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.testing.TestNames;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stage's circuit breaker against a real broker, EOS on: the test plays ingest and a failing, then recovering,
 * worker. Failures open the breaker (a record on {@code jobpipe.breakers}), later jobs are HELD without an attempt,
 * after the cooldown one held job goes out as the probe, its success closes the breaker and releases the rest.
 */
class CircuitBreakerIntegrationTest {
    static final String CATALOG = """
            pipelines:
              flaky:
                stages:
                  - name: call
                    agent: builtin:act
                    timeout: 30s
                    retry:
                      maximumAttempts: 1
                    breaker:
                      window: 4
                      minimumAttempts: 4
                      failureRate: 0.5
                      cooldown: 2s
            routes:
              - connection: "*"
                pipeline: flaky
            """;

    static EmbeddedServer server;
    static Topics topics;
    static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void startOrchestrator(TestInfo info, @TempDir Path dir) throws IOException {
        topics = Topics.of(TestNames.unique(info) + ".");
        Path catalog = Files.writeString(dir.resolve("pipelines.yaml"), CATALOG);
        server = OrchestratorUnderTest.start(topics, Map.of("jobpipe.pipelines.file", catalog.toString(), "jobpipe.topics.partitions", 1));
        producer = OrchestratorUnderTest.producer();
    }

    @AfterAll
    static void stopOrchestrator() {
        OrchestratorUnderTest.stop(server, producer);
    }

    @Test
    void shouldOpenOnFailuresHoldLaterJobsProbeAfterTheCooldownAndCloseOnTheProbesSuccess() {
        Map<String, List<JobEvent>> histories = new LinkedHashMap<>();
        List<BreakerState> breakerStates = new ArrayList<>();
        boolean[] healthy = {false};
        try (KafkaConsumer<String, byte[]> requests = OrchestratorUnderTest.committedReader(List.of(topics.stage("call").name()));
             KafkaConsumer<String, byte[]> events = OrchestratorUnderTest.committedReader(List.of(topics.jobEvents.name()));
             KafkaConsumer<String, byte[]> breakers = OrchestratorUnderTest.committedReader(List.of(topics.breakers.name()))) {
            Runnable worker = () -> {
                for (ConsumerRecord<String, byte[]> record : requests.poll(Duration.ofMillis(50))) {
                    answer(topics.stage("call").valueSerde().deserializer().deserialize(record.topic(), record.value()),
                            healthy[0]);
                }
                for (ConsumerRecord<String, byte[]> record : events.poll(Duration.ofMillis(50))) {
                    JobEvent event = topics.jobEvents.valueSerde().deserializer().deserialize(record.topic(), record.value());
                    histories.computeIfAbsent(event.jobId(), id -> new ArrayList<>()).add(event);
                }
                for (ConsumerRecord<String, byte[]> record : breakers.poll(Duration.ofMillis(10))) {
                    breakerStates.add(topics.breakers.valueSerde().deserializer().deserialize(record.topic(), record.value()));
                }
            };
            // Four failures in a row: the fourth opens the breaker.
            List<String> failing = List.of(request(), request(), request(), request());
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                worker.run();
                return failing.stream().allMatch(id -> ended(histories, id, JobEvent.JobDeadLettered.class))
                        && breakerStates.stream().anyMatch(s -> s.status() == BreakerState.Status.OPEN);
            });
            BreakerState opened = breakerStates.get(0);
            assertThat(opened.breaker()).isEqualTo("flaky/call");
            assertThat(opened.status()).isEqualTo(BreakerState.Status.OPEN);
            assertThat(opened.reason()).startsWith("4 of the last 4 attempts failed (100%, opens at 50%)");

            // The dependency recovers, but the breaker does not know yet: new jobs wait, HELD, no attempt spent.
            healthy[0] = true;
            List<String> held = List.of(request(), request(), request());
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                worker.run();
                return held.stream().allMatch(id -> histories.getOrDefault(id, List.of()).stream()
                        .anyMatch(JobEvent.JobHeld.class::isInstance));
            });
            // After the 2 s cooldown one goes out as the probe; it succeeds, the breaker closes, the others follow.
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                worker.run();
                return held.stream().allMatch(id -> ended(histories, id, JobEvent.JobCompleted.class));
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                worker.run();
                return breakerStates.get(breakerStates.size() - 1).status() == BreakerState.Status.CLOSED;
            });
        }
        assertThat(breakerStates).extracting(BreakerState::status).containsExactly(BreakerState.Status.OPEN,
                BreakerState.Status.HALF_OPEN, BreakerState.Status.CLOSED);
        List<String> heldJobs = histories.keySet().stream().skip(4).toList();
        List<JobEvent.JobReleased> releases = heldJobs.stream()
                .flatMap(id -> histories.get(id).stream())
                .filter(JobEvent.JobReleased.class::isInstance).map(JobEvent.JobReleased.class::cast).toList();
        assertThat(releases).hasSize(3);
        assertThat(releases).filteredOn(JobEvent.JobReleased::probe).as("exactly one probe").hasSize(1);
        for (String id : heldJobs) {
            assertThat(histories.get(id)).extracting(e -> e.getClass().getSimpleName()).containsExactly(
                    "JobAccepted", "JobHeld", "JobReleased", "StageDispatched", "StageCompleted", "JobCompleted");
            assertThat(((JobEvent.StageDispatched) histories.get(id).get(3)).attempt())
                    .as("holding spent no attempt").isEqualTo(1);
        }
        assertThat(Set.copyOf(heldJobs)).hasSize(3);
    }

    private static boolean ended(Map<String, List<JobEvent>> histories, String jobId, Class<? extends JobEvent> end) {
        List<JobEvent> history = histories.getOrDefault(jobId, List.of());
        return !history.isEmpty() && end.isInstance(history.get(history.size() - 1));
    }

    private static String request() {
        String jobId = EventIds.newJobId();
        producer.send(new ProducerRecord<>(topics.jobsRequested.name(), jobId,
                topics.jobsRequested.valueSerde().serializer().serialize(null, new JobRequested(EventIds.newEventId(),
                        jobId, Instant.now(), "github", "d-" + jobId, "push", "req-1", Json.MAPPER.createObjectNode()))));
        producer.flush();
        return jobId;
    }

    private static void answer(StageRequested request, boolean healthy) {
        StageResult result = healthy
                ? new StageResult.StageSucceeded(EventIds.newEventId(), request.jobId(), Instant.now(), request.stage(),
                request.attempt(), Instant.now(), 1, "done", Json.MAPPER.createObjectNode())
                : new StageResult.StageFailed(EventIds.newEventId(), request.jobId(), Instant.now(), request.stage(),
                request.attempt(), Instant.now(), 1, "Unavailable", "the dependency answered 503", true);
        producer.send(new ProducerRecord<>(topics.stageResults.name(), request.jobId(),
                topics.stageResults.valueSerde().serializer().serialize(null, result)));
        producer.flush();
    }

}
