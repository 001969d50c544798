package io.jobpipe.e2e;

import io.jobpipe.core.kafka.Topics;
import io.jobpipe.runtime.bench.ArrivalSchedule;
import io.jobpipe.runtime.bench.SystemParts;
import io.jobpipe.runtime.chaos.ChaosReport;
import io.jobpipe.runtime.chaos.ChaosRun;
import io.jobpipe.runtime.client.WebhookRequest;
import io.jobpipe.runtime.infra.FreePorts;
import io.jobpipe.runtime.supervisor.JobpipeRuntime;
import io.jobpipe.runtime.supervisor.RestartBackoff;
import io.jobpipe.runtime.supervisor.RuntimeOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The crash guarantee, small: the whole system as {@code ./jobpipe up} runs it (restarts included) under a light
 * load, {@code kill -9} of the orchestrator, then of the worker, each mid-run; after the drain every accepted job is
 * COMPLETED, none failed or was dead-lettered, {@code jobpipe.job.events} read {@code read_committed} has every
 * job's seqs contiguous from 1 with no transition twice, and SSE clients that followed jobs through the kill saw
 * every seq exactly once. The full matrix at 100/s is {@code ./jobpipe chaos --part all}.
 */
class CrashSafetyTest {
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
