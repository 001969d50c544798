package io.jobpipe.e2e;

import io.jobpipe.core.kafka.Topics;
import io.jobpipe.runtime.bench.ArrivalSchedule;
import io.jobpipe.runtime.bench.SystemParts;
import io.jobpipe.runtime.chaos.ChaosReport;
import io.jobpipe.runtime.chaos.ChaosRun;
import io.jobpipe.runtime.chaos.EventStreamAudit;
import io.jobpipe.runtime.chaos.JobEventsRange;
import io.jobpipe.runtime.procfs.ListeningPorts;
import io.jobpipe.runtime.client.WebhookRequest;
import io.jobpipe.runtime.infra.FreePorts;
import io.jobpipe.runtime.supervisor.JobpipeRuntime;
import io.jobpipe.runtime.supervisor.RestartBackoff;
import io.jobpipe.runtime.supervisor.RuntimeOptions;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The crash guarantee, small: the whole system as {@code ./jobpipe up} runs it (restarts included) under a light
 * load, {@code kill -9} of the orchestrator, then of the worker, each mid-run; after the drain every accepted job is
 * COMPLETED, none failed or was dead-lettered, {@code jobpipe.job.events} read {@code read_committed} has every
 * job's seqs contiguous from 1 with no transition twice, and SSE clients that followed jobs through the kill saw
 * every seq exactly once; a bulk replay cut by a kill of the orchestrator applies each replay once. The full matrix
 * at 100/s is {@code ./jobpipe chaos --part all}.
 */
class CrashSafetyTest {
    private static final int DEAD_LETTERS = 30;
    private static final RestartBackoff QUICK = new RestartBackoff(Duration.ofMillis(200), Duration.ofSeconds(2),
            Duration.ofMinutes(1));

    @TempDir
    static Path dataDir;
    private static JobpipeRuntime runtime;
    private static final List<String> supervisorLines = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startSystem() {
        RuntimeOptions options = new RuntimeOptions(EndToEndTest.repositoryRoot(), dataDir, FreePorts.next(),
                FreePorts.next(), FreePorts.next(), FreePorts.next(), FreePorts.next(), FreePorts.next(),
                FreePorts.next(), 3, "", "-Xms32m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        runtime = JobpipeRuntime.start(options, line -> System.out.println("[crash] " + line));
        runtime.superviseRestarts(QUICK, line -> {
            supervisorLines.add(line);
            System.out.println("[crash] supervisor: " + line);
        });
    }

    @AfterAll
    static void stopSystem() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void shouldLoseAndDoubleNothingWhenTheOrchestratorIsKilledMidRun() throws Exception {
        ChaosReport report = chaos("orchestrator");

        assertPassed(report);
        assertThat(supervisorLines).anyMatch(l -> l.startsWith("orchestrator exited unexpectedly (exit code 137, killed by signal 9)"));
    }

    @Test
    void shouldLoseAndDoubleNothingWhenTheWorkerIsKilledMidRun() throws Exception {
        ChaosReport report = chaos("worker");

        assertPassed(report);
        assertThat(supervisorLines).anyMatch(l -> l.startsWith("worker restarted"));
    }

    /**
     * An operator's bulk replay cut by a {@code kill -9} of the orchestrator: the commands the ops API sent before the
     * kill and after the restart are all applied, each once (the replay id is remembered in the job's state, which
     * commits with the command's offset), and every replayed job completes with one JobReplayed in its history.
     */
    @Test
    void shouldApplyEachReplayOnceWhenTheOrchestratorIsKilledDuringABulkReplay() throws Exception {
        RuntimeOptions o = runtime.options();
        SystemHttp http = new SystemHttp(o);
        Map<TopicPartition, Long> start = JobEventsRange.markEnd(o.bootstrapServers(), Topics.DEFAULT.jobEvents.name());
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < DEAD_LETTERS; i++) {
            jobs.add(http.postDemo("fail-on-demand", "{\"fail\":true,\"n\":" + i + "}"));
        }
        for (String jobId : jobs) {
            http.awaitState(jobId, "DEAD_LETTERED", Duration.ofSeconds(90));
        }
        JsonNode operation = SystemHttp.json(http.ops("POST", "/ops/dead-letters/replay", SystemHttp.OPERATE_TOKEN,
                "{\"filter\":{\"pipeline\":\"fails-on-demand\"},\"reason\":\"crash test: replay through a kill\","
                        + "\"ratePerSecond\":10,\"maxRunning\":0,\"inputPatch\":{\"fail\":false}}"), 202);
        assertThat(operation.path("matched").asInt()).isEqualTo(DEAD_LETTERS);

        // No window (maxRunning 0): all 30 commands go out within 3 s, and a second in, while commands are in flight,
        // the orchestrator gets kill -9.
        Thread.sleep(1_000);
        long pid = ListeningPorts.pidListeningOn(o.orchestratorPort()).orElseThrow();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() ->
                ListeningPorts.pidListeningOn(o.orchestratorPort()).stream().anyMatch(p -> p != pid));

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                SystemHttp.json(http.ops("GET", operation.path("statusUrl").asText(), SystemHttp.READ_TOKEN, null), 200)
                        .path("state").asText().equals("done"));
        for (String jobId : jobs) {
            JsonNode done = http.awaitState(jobId, "COMPLETED", Duration.ofSeconds(120));
            assertThat(done.path("replays")).as("job %s", jobId).hasSize(1);
        }
        EventStreamAudit audit = new EventStreamAudit();
        Map<String, Integer> replays = new HashMap<>();
        JobEventsRange.readFrom(o.bootstrapServers(), start, (jobId, event) -> {
            audit.record(jobId, event);
            if ("JobReplayed".equals(event.path("type").asText())) {
                replays.merge(jobId, 1, Integer::sum);
            }
        });
        EventStreamAudit.Findings findings = audit.findings(jobs);
        assertThat(findings.clean()).as("audit: %s", findings).isTrue();
        assertThat(findings.count("JobCompleted")).isEqualTo(DEAD_LETTERS);
        assertThat(jobs).allSatisfy(jobId -> assertThat(replays.get(jobId)).as("JobReplayed of %s", jobId).isEqualTo(1));
    }

    private static ChaosReport chaos(String part) throws InterruptedException {
        RuntimeOptions o = runtime.options();
        ChaosRun.Plan plan = new ChaosRun.Plan(o.ingestUrl(), o.statusUrl(), o.bootstrapServers(), Topics.DEFAULT,
                new WebhookRequest("demo", "{\"action\":\"opened\",\"title\":\"crash test\"}".getBytes(StandardCharsets.UTF_8),
                        null, null, Map.of()),
                null, ArrivalSchedule.forDuration(10, Duration.ofSeconds(10)), 16, Duration.ofSeconds(10),
                Duration.ofSeconds(90), Duration.ofSeconds(90), Duration.ofSeconds(30),
                SystemParts.addresses(o.kafkaPort(), o.postgresPort(), o.ingestPort(), o.orchestratorPort(),
                        o.workerPort(), o.statusPort()), dataDir, part, 0.5, 3);
        PrintWriter out = new PrintWriter(System.out, true);
        return new ChaosRun(plan, out).run();
    }

    private static void assertPassed(ChaosReport report) {
        assertThat(report.problems()).as("chaos audit after kill -9 of %s", report.part()).isEmpty();
        assertThat(report.restartedPid()).isPositive().isNotEqualTo(report.killedPid());
        assertThat(report.outcomes().accepted()).isPositive();
        assertThat(report.outcomes().completed()).isEqualTo(report.outcomes().accepted());
        assertThat(report.audit().jobs()).isGreaterThanOrEqualTo(report.outcomes().accepted());
        assertThat(report.sse()).isNotEmpty().allMatch(s -> s.check().isEmpty());
    }
}
