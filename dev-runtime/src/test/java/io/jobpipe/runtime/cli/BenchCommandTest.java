package io.jobpipe.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.runtime.bench.ArrivalSchedule;
import io.jobpipe.runtime.bench.BaselineHop;
import io.jobpipe.runtime.infra.EmbeddedKafkaBroker;
import io.jobpipe.runtime.infra.FreePorts;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark against a real embedded Kafka broker, with in-test HTTP stand-ins for ingest and status. */
class BenchCommandTest {
    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    @TempDir
    static Path kafkaDir;
    private static EmbeddedKafkaBroker broker;
    private static Admin admin;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(kafkaDir, FreePorts.next(), FreePorts.next());
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    @AfterAll
    static void stopBroker() {
        admin.close();
        broker.close();
    }

    @Test
    void shouldMeasureTheBaselineHopAndDeleteItsTopic() throws Exception {
        String topic = "baseline-test-" + NAMESPACES.incrementAndGet();

        BaselineHop.Result result = new BaselineHop(admin, broker.bootstrapServers(), topic, 2, (short) 1, 300)
                .run(new ArrivalSchedule(500, 100), Duration.ofSeconds(20));

        assertThat(result.received()).isEqualTo(100);
        assertThat(result.lost()).isZero();
        assertThat(result.sendErrors()).isZero();
        assertThat(result.latency().count()).isEqualTo(100);
        assertThat(result.latency().p50Ms()).isPositive().isLessThanOrEqualTo(result.latency().p99Ms());
        assertThat(topicNames()).doesNotContain(topic);
    }

    @Test
    void shouldPassAndWriteEveryFigureWhenEveryAcceptedJobCompletes(@TempDir Path dir) throws Exception {
        Topics topics = newSystemTopics();
        Path json = dir.resolve("out/bench.json");
        try (FakeJobpipe jobpipe = new FakeJobpipe(broker.bootstrapServers(), topics, i -> FakeJobpipe.Fate.COMPLETE)) {

            int nobodyListens = FreePorts.next();
            CliRun run = CliRun.of("bench", "--count", "40", "--rate", "200", "--drain-timeout", "20s",
                    "--bootstrap-servers", broker.bootstrapServers(), "--topics-namespace", topics.namespace(),
                    "--ingest-url", jobpipe.ingest.url(), "--status-url", jobpipe.status.url(), "--json", json.toString(),
                    "--idle", "1s", "--warm-up", "100ms", "--orchestrator-port", String.valueOf(nobodyListens), "--worker-port", String.valueOf(nobodyListens),
                    "--postgres-port", String.valueOf(nobodyListens), "--data-dir", dir.resolve("no-up").toString());

            assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
            assertThat(run.out()).contains("baseline  raw Kafka hop: idempotent acks=all producer (linger.ms 0) → read_committed consumer (fetch.min.bytes 1)",
                    "accepted 40 of 40 sent", "COMPLETED       40",
                    "status service  GET /jobs/{id} for 40 jobs: COMPLETED 40", "per-stage hop = end-to-end p50 ÷ stages",
                    "warm-up: 20 webhooks at 200/s, drained, not measured", "warm-up drained", "sent 20  accepted 20  completed 20",
                    "warm-up: JIT compiler threads used broker ",
                    "IDLE % CORE", "OF IT JIT MS", "MS/JOB", "note: orchestrator: not found: nothing of this user listens on port " + nobodyListens,
                    "total (without postgres, orchestrator, worker)", "verdict   PASS");
            // The warm-up's 20 were sent (with their own delivery ids) but are in no figure: the run counts its 40.
            assertThat(jobpipe.ingest.received()).hasSize(60)
                    .extracting(r -> r.header("X-Delivery-Id")).doesNotHaveDuplicates();
        }
        JsonNode figures = Json.MAPPER.readTree(json.toFile());
        assertThat(figures.path("passed").asBoolean()).isTrue();
        assertThat(figures.at("/accounting/outcomes/completed").asLong()).isEqualTo(40);
        assertThat(figures.at("/endToEnd/latency/count").asLong()).isEqualTo(40);
        assertThat(figures.at("/endToEnd/stages").asInt()).isEqualTo(3);
        assertThat(figures.at("/baseline/count").asInt()).isEqualTo(10);
        assertThat(figures.at("/baseline/received").asInt()).isEqualTo(10);
        assertThat(figures.at("/comparison/kafkaHopsPerJob").asInt()).isEqualTo(8);
        assertThat(figures.at("/ingest/http/ackLatency/p99Ms").asDouble()).isPositive();
        assertThat(figures.at("/stages/0/stage").asText()).isEqualTo("validate");
        // The broker of this test runs in this JVM, and so do the stand-ins for ingest and status: found by port.
        assertThat(figures.at("/cpu/parts/0/part").asText()).isEqualTo("broker");
        assertThat(figures.at("/cpu/parts/0/processes").asText()).isEqualTo(String.valueOf(ProcessHandle.current().pid()));
        assertThat(figures.at("/cpu/parts/0/loadCpuMs").asDouble()).isPositive();
        assertThat(figures.at("/cpu/parts/0/idlePercentOfCore").isNumber()).isTrue();
        assertThat(figures.at("/cpu/parts/0/jitCpuMs").isNumber()).isTrue();
        assertThat(figures.at("/cpu/parts/3/msPerJob").isNull()).isTrue();
        assertThat(figures.at("/cpu/jobs").asLong()).isEqualTo(40);
        assertThat(topicNames()).noneMatch(name -> name.contains("bench.baseline"));
    }

    @Test
    void shouldFailAndNameTheJobsWhenOneIsDeadLetteredAndOneNeverFinishes() throws Exception {
        Topics topics = newSystemTopics();
        try (FakeJobpipe jobpipe = new FakeJobpipe(broker.bootstrapServers(), topics,
                i -> i == 3 ? FakeJobpipe.Fate.DEAD_LETTER : i == 5 ? FakeJobpipe.Fate.STALL : FakeJobpipe.Fate.COMPLETE)) {

            CliRun run = CliRun.of("bench", "--count", "10", "--rate", "100", "--no-baseline", "--drain-timeout", "2s",
                    "--status-timeout", "1s", "--bootstrap-servers", broker.bootstrapServers(),
                    "--topics-namespace", topics.namespace(), "--ingest-url", jobpipe.ingest.url(),
                    "--status-url", jobpipe.status.url(), "--no-cpu");

            assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
            assertThat(run.out()).contains("accepted        10", "COMPLETED       8", "DEAD_LETTERED   1",
                    "in flight       1", "(last: StageDispatched validate#1)", "Timeout: no answer",
                    "COMPLETED 8, DEAD_LETTERED 1, RUNNING 1", "verdict   FAIL",
                    "1 accepted job(s) did not finish within the drain timeout of 2 s",
                    "1 accepted job(s) were DEAD_LETTERED", "cpu       not measured");
        }
    }

    @Test
    void shouldRefuseToLoadAnythingButThisMachine() {
        CliRun run = CliRun.of("bench", "--count", "1", "--ingest-url", "http://10.1.2.3:8080");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("is not a loopback address");
    }

    @Test
    void shouldRefuseANonLoopbackKafka() {
        CliRun run = CliRun.of("bench", "--count", "1", "--bootstrap-servers", "127.0.0.1:9092,192.0.2.7:9092");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Kafka bootstrap server 192.0.2.7 is not a loopback address");
    }

    @Test
    void shouldStopBeforeLoadingWhenIngestIsNotReachable() {
        TestHttpServer gone = TestHttpServer.start();
        String url = gone.url();
        gone.close();

        CliRun run = CliRun.of("bench", "--count", "1", "--ingest-url", url, "--bootstrap-servers", broker.bootstrapServers());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("ingest is not reachable at " + url);
    }

    @Test
    void shouldSayTheSystemIsNotRunningWhenItsTopicIsMissing() {
        TestHttpServer services = TestHttpServer.start();
        CliRun run = CliRun.of("bench", "--count", "1", "--bootstrap-servers", broker.bootstrapServers(),
                "--topics-namespace", "absent" + NAMESPACES.incrementAndGet() + ".", "--ingest-url", services.url(),
                "--status-url", services.url());
        services.close();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("bench could not run", "jobpipe.job.events", "is jobpipe running?");
    }

    private static Topics newSystemTopics() throws Exception {
        Topics topics = Topics.of("bench" + NAMESPACES.incrementAndGet() + ".");
        admin.createTopics(List.of(new NewTopic(topics.jobEvents.name(), 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        return topics;
    }

    private static Set<String> topicNames() throws Exception {
        return admin.listTopics().names().get(30, TimeUnit.SECONDS);
    }
}
