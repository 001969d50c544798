package io.jobpipe.worker.kafka;

import io.jobpipe.core.event.AgentSpec;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.core.event.StageResult;
import io.jobpipe.testing.PrometheusText;
import io.jobpipe.worker.agent.AgentRegistry;
import io.jobpipe.worker.config.WorkerProperties;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An agent that runs longer than its record's acquisition lock keeps the record: the poll loop renews the lock
 * (RENEW) while the agent runs, so a second worker of the same share group, idle and polling all along, never gets
 * the record, and it is accepted once, when the agent is done.
 */
class LockRenewalTest {
    private static final long LOCK_MS = 2_000;
    private static final long AGENT_MS = 5_000;
    /** Two workers of one group: were a lock to run out, the idle one would be handed the record. */
    private static final WorkerProperties TWO_LOOPS = new WorkerProperties("unused", 10, Duration.ofMillis(200),
            Duration.ofSeconds(5), Duration.ofSeconds(1));

    private final AtomicInteger runs = new AtomicInteger();
    private final AgentRegistry agents = new AgentRegistry(Map.of("act", request -> {
        runs.incrementAndGet();
        return StageTopicRig.sleep(AGENT_MS);
    }));

    @Test
    void shouldRenewTheLockOfAnAgentThatOutlivesItSoNoOtherWorkerRunsItsRecord(TestInfo info) throws Exception {
        StageTopicRig rig = StageTopicRig.create(info, "act", LOCK_MS);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        WorkerStats stats;
        try (KafkaProducer<String, byte[]> orchestrator = rig.orchestrator();
             TopicReader results = rig.results();
             RigWorker running = new RigWorker(rig, TWO_LOOPS, 2, agents, registry)) {
            stats = running.stats();
            running.startLoop("renew-loop-0");
            running.startLoop("renew-loop-1");
            rig.send(orchestrator, request("job_long"));

            results.awaitRecord(r -> "job_long".equals(r.key()), Duration.ofSeconds(60));
            // Longer than a lock: a delivery to the other worker after a lost lock would show by now.
            results.readFor(Duration.ofMillis(2 * LOCK_MS));
            assertThat(results.seen()).filteredOn(r -> "job_long".equals(r.key())).map(rig::resultOf)
                    .as("one result, from the one run").singleElement().isInstanceOf(StageResult.StageSucceeded.class);
        }
        assertThat(runs).as("the agent ran once").hasValue(1);
        assertThat(stats.counters()).containsEntry("redelivered", 0L).containsEntry("accepted", 1L)
                .containsEntry("released", 0L).containsEntry("ackCommitFailures", 0L);
        PrometheusText metrics = PrometheusText.parse(registry.scrape());
        assertThat(metrics.type("jobpipe_worker_lock_renewals_total")).isEqualTo("counter");
        assertThat(metrics.value("jobpipe_worker_lock_renewals_total", Map.of("stage", "act")))
                .as("renewed about every %d ms while the agent ran %d ms", LOCK_MS / 2, AGENT_MS)
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void shouldLeaveTheRecordToAnotherWorkerWhenTheBrokerRefusesToRenewItsLock(TestInfo info) throws Exception {
        StageTopicRig rig = StageTopicRig.create(info, "act", LOCK_MS);
        rig.setGroupConfig(ShareGroupSetup.RENEW_ACKNOWLEDGE_ENABLE, "false");
        WorkerStats stats;
        try (KafkaProducer<String, byte[]> orchestrator = rig.orchestrator();
             TopicReader results = rig.results();
             RigWorker running = new RigWorker(rig, TWO_LOOPS, 2, agents,
                     new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            stats = running.stats();
            running.startLoop("refused-loop-0");
            running.startLoop("refused-loop-1");
            rig.send(orchestrator, request("job_refused"));

            results.awaitRecord(r -> "job_refused".equals(r.key()), Duration.ofSeconds(60));
            // The loops went on polling: they stop (closing the try) without waiting for the lost record.
        }
        assertThat(runs.get()).as("the lock ran out under the first run; the group delivered the record again")
                .isGreaterThanOrEqualTo(2);
        assertThat(stats.counters()).containsEntry("accepted", 0L);
        assertThat((Long) stats.counters().get("lockRenewals")).isPositive();
        assertThat((Long) stats.counters().get("ackCommitFailures")).as("the refused renewals").isPositive();
        assertThat((Long) stats.counters().get("redelivered")).isPositive();
    }

    /** A request whose stage timeout (30 s) is well above the agent's run: no heartbeat, no timeout. */
    private static StageRequested request(String jobId) {
        Instant now = Instant.now();
        return new StageRequested("evt_" + jobId, jobId, now, "default", "act", 4, 1, AgentSpec.builtin("act"),
                Json.MAPPER.createObjectNode(), now.plus(Duration.ofSeconds(30)));
    }
}
