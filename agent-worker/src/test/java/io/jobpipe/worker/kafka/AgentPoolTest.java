package io.jobpipe.worker.kafka;

import io.jobpipe.core.event.AgentSpec;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.core.event.StageResult;
import io.jobpipe.agent.AgentOutcome;
import io.jobpipe.worker.agent.AgentRegistry;
import io.jobpipe.worker.agent.TestRequests;
import io.jobpipe.worker.config.WorkerProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.jobpipe.worker.agent.TestRequests.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One share consumer feeds several agents: the records of one poll run on the agent pool at the same time, and
 * each is acknowledged once its result is in Kafka.
 */
class AgentPoolTest {

    @Test
    void shouldRunTheAgentsOfOneBatchAtTheSameTimeOnThePool(TestInfo info) throws Exception {
        StageTopicRig rig = StageTopicRig.create(info, "validate");
        // Each agent finishes only once both are running: run one after another, both would fail.
        CountDownLatch bothRunning = new CountDownLatch(2);
        AgentRegistry agents = new AgentRegistry(Map.of("validate", request -> {
            bothRunning.countDown();
            try {
                return bothRunning.await(10, TimeUnit.SECONDS)
                        ? AgentOutcome.success(Json.MAPPER.createObjectNode(), "ran alongside another agent")
                        : AgentOutcome.failure("Sequential", "the other agent never ran at the same time", false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return AgentOutcome.failure("Interrupted", "interrupted", true);
            }
        }));

        WorkerProperties worker = new WorkerProperties("unused", 10, Duration.ofMillis(200),
                Duration.ofSeconds(5), Duration.ofSeconds(1));
        try (KafkaProducer<String, byte[]> orchestrator = rig.orchestrator();
             TopicReader results = rig.results();
             RigWorker running = new RigWorker(rig, worker, 2, agents, new SimpleMeterRegistry())) {
            for (String jobId : List.of("job_pool_a", "job_pool_b")) {
                rig.send(orchestrator, validate(jobId));
            }
            running.startLoop("pool-loop");
            for (String jobId : List.of("job_pool_a", "job_pool_b")) {
                var result = results.awaitRecord(r -> jobId.equals(r.key()), Duration.ofSeconds(60));
                assertThat(rig.resultOf(result)).isInstanceOf(StageResult.StageSucceeded.class);
            }
            running.stopLoops();
            assertThat(running.stats().counters()).containsEntry("succeeded", 2L).containsEntry("accepted", 2L)
                    .containsEntry("released", 0L);
        }
    }

    @Test
    void shouldReleaseARecordWhoseAgentRanOutOfMemoryAndKeepPolling(TestInfo info) throws Exception {
        StageTopicRig rig = StageTopicRig.create(info, "validate");
        // AgentRunner lets a VirtualMachineError through on purpose; the first run of the agent throws one.
        AtomicInteger runs = new AtomicInteger();
        AgentRegistry agents = new AgentRegistry(Map.of("validate", request -> {
            if (runs.incrementAndGet() == 1) {
                throw new OutOfMemoryError("test: the agent ran out of memory");
            }
            return AgentOutcome.success(Json.MAPPER.createObjectNode(), "ran on redelivery");
        }));

        WorkerProperties worker = new WorkerProperties("unused", 10, Duration.ofMillis(200),
                Duration.ofSeconds(5), Duration.ofSeconds(1));
        try (KafkaProducer<String, byte[]> orchestrator = rig.orchestrator();
             TopicReader results = rig.results();
             RigWorker running = new RigWorker(rig, worker, 2, agents, new SimpleMeterRegistry())) {
            String jobId = "job_oom";
            rig.send(orchestrator, validate(jobId));
            running.startLoop("oom-loop");
            var result = results.awaitRecord(r -> jobId.equals(r.key()), Duration.ofSeconds(60));
            assertThat(rig.resultOf(result)).isInstanceOf(StageResult.StageSucceeded.class);
            running.stopLoops();
            assertThat(runs.get()).isEqualTo(2);
            assertThat(running.stats().counters()).containsEntry("released", 1L).containsEntry("accepted", 1L);
        }
    }

    private static StageRequested validate(String jobId) {
        return TestRequests.request(jobId, "validate", AgentSpec.builtin("validate"), "shop", "webhook",
                json("{\"a\":1}"), Json.MAPPER.createObjectNode());
    }
}
