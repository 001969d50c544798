package io.jobpipe.worker.kafka;

import io.jobpipe.core.event.AgentSpec;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.core.event.StageResult;
import io.jobpipe.worker.agent.AgentRegistry;
import io.jobpipe.worker.config.WorkerProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An agent that runs long is heartbeated for, and one that outlives its stage timeout is interrupted: its attempt
 * is reported timed out and acknowledged at once, the agent's own result follows as a late one, and the agent
 * thread goes on to the next record uninterrupted.
 */
class OverdueAgentTest {

    @Test
    void shouldHeartbeatThenInterruptAnAgentThatOutlivesItsTimeoutAndRunTheNextRecord(TestInfo info) throws Exception {
        StageTopicRig rig = StageTopicRig.create(info, "act");
        AgentRegistry agents = new AgentRegistry(Map.of("act",
                call -> {
                    call.log("waiting for the parser");
                    return StageTopicRig.sleep(call.payload().path("sleepMs").asLong());
                }));
        WorkerProperties worker = new WorkerProperties("unused", 10, Duration.ofMillis(200),
                Duration.ofSeconds(5), Duration.ofSeconds(1), 0.25, List.of());
        List<StageResult> hung;
        WorkerStats stats;
        try (KafkaProducer<String, byte[]> orchestrator = rig.orchestrator();
             TopicReader results = rig.results();
             RigWorker running = new RigWorker(rig, worker, 1, agents, new SimpleMeterRegistry())) {
            stats = running.stats();
            Instant now = Instant.now();
            rig.send(orchestrator, request("job_hung", now, Duration.ofSeconds(4), 60_000));
            rig.send(orchestrator, request("job_quick", now, Duration.ofSeconds(30), 10));
            // One agent thread: the second record runs on the thread the first agent was interrupted on.
            running.startLoop("overdue-loop");
            // The agent's own result comes last: after it was interrupted at its timeout.
            results.awaitRecord(r -> "job_hung".equals(r.key()) && rig.resultOf(r) instanceof
                    StageResult.StageFailed failed && failed.errorType().equals("Interrupted"), Duration.ofSeconds(60));
            hung = results.seen().stream().filter(r -> "job_hung".equals(r.key())).map(rig::resultOf).toList();
            StageResult quick = rig.resultOf(results.awaitRecord(r -> "job_quick".equals(r.key()), Duration.ofSeconds(30)));
            assertThat(quick).as("the thread the hung agent was interrupted on runs the next one, uninterrupted")
                    .isInstanceOf(StageResult.StageSucceeded.class);
        }
        assertThat(hung).extracting(r -> r.getClass().getSimpleName())
                .as("heartbeats every second, the timeout at 4 s, then the agent's own late result")
                .containsSubsequence("StageHeartbeat", "StageHeartbeat", "StageFailed", "StageFailed")
                .doesNotContain("StageSucceeded");
        StageResult.StageFailed timeout = (StageResult.StageFailed) hung.stream()
                .filter(StageResult.StageFailed.class::isInstance).findFirst().orElseThrow();
        assertThat(timeout.errorType()).isEqualTo("StageTimeout");
        assertThat(timeout.retryable()).isTrue();
        assertThat(timeout.message()).contains("ran past the stage timeout of 4 s", "interrupted");
        assertThat(timeout.log()).as("what the agent logged until then goes with the timeout")
                .isEqualTo("waiting for the parser\n");
        assertThat(hung.get(hung.size() - 1)).isInstanceOfSatisfying(StageResult.StageFailed.class,
                late -> assertThat(late.errorType()).isEqualTo("Interrupted"));
        assertThat(stats.counters()).containsEntry("accepted", 2L).containsEntry("released", 0L);
    }

    private static StageRequested request(String jobId, Instant dispatchedAt, Duration timeout, long sleepMs) {
        return new StageRequested("evt_" + jobId, jobId, dispatchedAt, "default", "act", 4, 1, AgentSpec.builtin("act"),
                Json.MAPPER.createObjectNode().set("payload", Json.MAPPER.createObjectNode().put("sleepMs", sleepMs)),
                dispatchedAt.plus(timeout));
    }
}
