package io.jobpipe.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.runtime.supervisor.JobpipeRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 002, {@code examples/provisioning}: seven provisioning agents, a user's own Java agents from the example's
 * jar (put on the worker's class path as {@code ./jobpipe up --agent-classpath} does), the long {@code load} stage
 * reporting its progress. The incident: the service stopped answering while a long run worked, and the run looked
 * dead (30 s timeouts, then no answer at all). Here the status API answers the polls while the agents work (a failed
 * poll counts as never answered), with p99 under 500 ms, and the job page shows how far the long stage got.
 * <p>
 * Alone on 2 cores the p99 is 16–46 ms; the bound is looser because this is a timed test on a machine that runs the
 * whole system and the test at once, where other work slows everything: one CI run measured a p50 of 34 ms and a p99
 * of 144 ms. What the incident needs, an API that never stops answering, is held with a wide margin either way.
 */
class ExampleProvisioningTest {
    private static final List<String> STAGES = List.of("research", "analyze", "design", "provision", "load", "verify",
            "report");
    private static final Duration P99_LIMIT = Duration.ofMillis(500);
    /** Requests before this many are the status service's warm-up (JIT, connections), not counted. */
    private static final int WARM_UP_REQUESTS = 50;

    static Path agentsJar() {
        Path jar = ExampleSystem.exampleDir("provisioning").resolve("target").resolve("provisioning-agents.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is not built; the reactor builds examples/provisioning first");
        }
        return jar;
    }

    @RegisterExtension
    static final ExampleSystem example = ExampleSystem.of("provisioning")
            .serviceEnvironment(Map.of(JobpipeRuntime.AGENT_CLASSPATH, agentsJar().toString()));

    @Test
    void shouldRunSevenAgentsWhileTheStatusApiStaysQuickAndShowsTheLongStagesProgress() throws Exception {
        SystemHttp http = example.http();
        List<String> jobs = new ArrayList<>();
        for (String site : List.of("shop.example.com", "docs.example.org", "news.example.net")) {
            jobs.add(http.postDemo("provision", "{\"url\":\"https://" + site + "/\",\"tenant\":\"acme\"}"));
        }
        List<Long> latenciesNanos = Collections.synchronizedList(new ArrayList<>());
        Set<String> progressSeen = ConcurrentHashMap.newKeySet();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> watch(http, jobs, running, latenciesNanos, progressSeen), "status-watcher");
        watcher.start();
        try {
            for (String job : jobs) {
                JsonNode done = http.awaitState(job, "COMPLETED", Duration.ofSeconds(120));
                assertThat(done.get("stages")).extracting(s -> s.get("name").asText()).containsExactlyElementsOf(STAGES);
                JsonNode load = done.get("stages").get(STAGES.indexOf("load"));
                assertThat(load.get("output").get("steps")).hasSize(10);
                assertThat(load.get("log").asText()).contains("step 10 of 10: statistics");
            }
        } finally {
            running.set(false);
            watcher.join(5_000);
        }

        List<Long> counted = latenciesNanos.subList(Math.min(WARM_UP_REQUESTS, latenciesNanos.size()), latenciesNanos.size());
        assertThat(counted).as("status requests made while the jobs ran").hasSizeGreaterThan(100);
        long p99 = percentile(counted, 0.99);
        System.out.printf("[provisioning] %d status requests during the run, p50 %.1f ms, p99 %.1f ms%n", counted.size(),
                percentile(counted, 0.5) / 1e6, p99 / 1e6);
        assertThat(Duration.ofNanos(p99)).as("p99 of GET /jobs/{id} while seven agents run").isLessThan(P99_LIMIT);
        assertThat(progressSeen).as("the long stage's progress, as the job page showed it")
                .anyMatch(message -> message.matches("step \\d+ of 10: .+"));
    }

    @Test
    void shouldFailAJobWhoseTargetIsNotAnHttpsUrlAtOnceNamingTheField() throws Exception {
        String job = example.http().postDemo("provision", "{\"url\":\"http://plain.example.com/\"}");

        JsonNode failed = example.http().awaitState(job, "FAILED", Duration.ofSeconds(60));
        assertThat(failed.get("error").asText()).contains("InvalidTarget", "payload.url must be an https URL");
        assertThat(failed.get("stages").get(0).get("attempts").asInt()).as("not retried").isEqualTo(1);
    }

    /** Polls every job's page as a frontend would, timing each answer, until told to stop. */
    private static void watch(SystemHttp http, List<String> jobs, AtomicBoolean running, List<Long> latencies,
                              Set<String> progressSeen) {
        int i = 0;
        while (running.get()) {
            String job = jobs.get(i++ % jobs.size());
            long start = System.nanoTime();
            try {
                HttpResponse<String> response = http.get("/jobs/" + job);
                latencies.add(System.nanoTime() - start);
                JsonNode progress = SystemHttp.json(response, 200).path("progress");
                if (progress.isObject() && "load".equals(progress.path("stage").asText())) {
                    progressSeen.add(progress.path("message").asText());
                }
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                latencies.add(Long.MAX_VALUE);
            }
        }
    }

    private static long percentile(List<Long> values, double p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }
}
