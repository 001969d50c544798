package io.jobpipe.runtime.bench.worker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipe.core.event.AgentSpec;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.runtime.infra.FreePorts;
import io.jobpipe.runtime.procfs.ClockTicks;
import io.jobpipe.runtime.procfs.JvmCpu;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code ./jobpipe bench worker}: the agent worker's own cost, on the broker of a running {@code ./jobpipe up}, in
 * topics and share groups of its own (namespace {@code bench-<run>.}), so the running system is not disturbed.
 * <ol>
 *   <li>No-op: the real agent-worker (its own JVM, a one-stage pipeline bound to {@code builtin:noop}) against
 *       {@link RawShareHop} (its own JVM, the worker's client settings, nothing else), rounds alternating so the
 *       machine's load weighs on both. Each round writes its records at once and measures the rate at which results
 *       come out. Issue 9's target: the worker reaches at least 80% of the raw hop.</li>
 *   <li>Slow HTTP (optional): one worker whose only stage is an HTTP agent that takes {@code latency} to answer
 *       (a loopback server of the bench's), at stage concurrency {@code concurrency}. Target: at least 20 jobs/s
 *       for 2 s at 50.</li>
 * </ol>
 */
public final class WorkerBench {
    static final String NOOP_STAGE = "noop";
    static final String SLOW_STAGE = "slow";

    public record Settings(String bootstrap, Path home, Path workDir, int count, int rounds, int partitions,
                           List<String> javaOptions, SlowHttp slowHttp) {
    }

    /** The slow-HTTP phase: {@code count} jobs to an agent that answers after {@code latency}. */
    public record SlowHttp(Duration latency, int concurrency, int count) {
    }

    /**
     * One side's round. {@code cpuMicrosPerRecord} is that side's JVM's CPU over the round per record written, and
     * {@code jitShare} the part of it its JIT compiler threads used; both {@code NaN} where {@code /proc} is missing.
     */
    public record Round(String side, int round, int count, int seen, int failed, double perSecond,
                        double cpuMicrosPerRecord, double jitShare) {
        /** {@code 256 µs (JIT 12%)}, or {@code n/a} when the CPU could not be read: never a made-up zero. */
        public String cpuText() {
            return Double.isNaN(cpuMicrosPerRecord) ? "n/a"
                    : String.format(Locale.ROOT, "%.0f µs (JIT %.0f%%)", cpuMicrosPerRecord, jitShare * 100);
        }
    }

    public record Report(List<Round> rounds, double rawBest, double workerBest, SlowHttpResult slowHttp) {
        public double ratio() {
            return rawBest == 0 ? 0 : workerBest / rawBest;
        }
    }

    public record SlowHttpResult(SlowHttp settings, int seen, double perSecond, Duration took) {
    }

    private final Settings settings;
    private final Consumer<String> progress;
    private final String namespace = "bench-" + Long.toString(System.currentTimeMillis(), 36) + ".";

    public WorkerBench(Settings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
    }

    public Report run() throws IOException {
        Files.createDirectories(settings.workDir());
        Topics topics = Topics.of(namespace);
        String rawIn = namespace + "raw.in";
        String rawOut = namespace + "raw.out";
        String rawGroup = namespace + "raw-hop";
        try (Admin admin = admin()) {
            createTopics(admin, List.of(rawIn, rawOut, topics.stage(NOOP_STAGE).name(), topics.stageResults.name()));
            configureShareGroup(admin, rawGroup);
        }
        List<Round> rounds = new ArrayList<>();
        // Concurrency 50: one consumer taking 50 records a poll, as the raw hop does.
        Path pipeline = writePipeline("noop-pipeline.yaml", NOOP_STAGE, "builtin:noop",
                Map.of("concurrency", String.valueOf(RawShareHop.MAX_POLL_RECORDS)));
        try (KafkaProducer<String, byte[]> input = producer();
             OutputCounter rawResults = new OutputCounter(settings.bootstrap(), rawOut);
             OutputCounter workerResults = new OutputCounter(settings.bootstrap(), topics.stageResults.name());
             ChildJvm raw = startRawHop(rawGroup, rawIn, rawOut);
             ChildJvm worker = startWorker("worker-noop", pipeline, Map.of())) {
            progress.accept("raw hop " + raw + " and worker " + worker + " ready; warming up");
            int warmUp = Math.max(100, settings.count() / 5);
            AgentSpec noop = AgentSpec.builtin("noop");
            round(input, rawIn, rawResults, raw, "raw", 0, warmUp, noop);
            round(input, topics.stage(NOOP_STAGE).name(), workerResults, worker, "worker", 0, warmUp, noop);
            for (int r = 1; r <= settings.rounds(); r++) {
                rounds.add(round(input, rawIn, rawResults, raw, "raw", r, settings.count(), noop));
                rounds.add(round(input, topics.stage(NOOP_STAGE).name(), workerResults, worker, "worker", r,
                        settings.count(), noop));
            }
        }
        SlowHttpResult slow = settings.slowHttp() == null ? null : slowHttp(topics);
        double rawBest = rounds.stream().filter(r -> r.side().equals("raw")).mapToDouble(Round::perSecond).max().orElse(0);
        double workerBest = rounds.stream().filter(r -> r.side().equals("worker")).mapToDouble(Round::perSecond).max().orElse(0);
        try (Admin admin = admin()) {
            deleteTopics(admin, List.of(rawIn, rawOut, topics.stage(NOOP_STAGE).name(), topics.stage(SLOW_STAGE).name(),
                    topics.stageResults.name(), topics.poison));
        }
        return new Report(rounds, rawBest, workerBest, slow);
    }

    private SlowHttpResult slowHttp(Topics topics) throws IOException {
        SlowHttp slow = settings.slowHttp();
        try (Admin admin = admin()) {
            createTopics(admin, List.of(topics.stage(SLOW_STAGE).name()));
        }
        try (SlowAgentServer server = SlowAgentServer.start(slow.latency(), slow.concurrency() + 16)) {
            // A signing secret, as every HTTP agent needs; inline is fine for a bench (a pipeline would use secretEnv).
            AgentSpec agent = AgentSpec.parse("http:" + server.url(), Map.of("secret", "bench-slow-agent-secret"));
            Path pipeline = writePipeline("slow-http-pipeline.yaml", SLOW_STAGE, "http:" + server.url(),
                    Map.of("concurrency", String.valueOf(slow.concurrency()),
                            "timeout", (slow.latency().toSeconds() + 30) + "s",
                            "settings", "{secret: bench-slow-agent-secret}"));
            Map<String, String> env = new LinkedHashMap<>();
            // The agent is on loopback: the SSRF guard must be told to let it through, as ./jobpipe up does.
            env.put("JOBPIPE_WORKER_OUTBOUND_ALLOW_CIDRS", "127.0.0.0/8");
            try (KafkaProducer<String, byte[]> input = producer();
                 OutputCounter results = new OutputCounter(settings.bootstrap(), topics.stageResults.name());
                 ChildJvm worker = startWorker("worker-slow-http", pipeline, env)) {
                progress.accept("slow HTTP agent on " + server.url() + " (" + slow.latency().toMillis() + " ms), worker "
                        + worker + " ready");
                Round round = round(input, topics.stage(SLOW_STAGE).name(), results, worker, "slow-http", 1,
                        slow.count(), agent);
                return new SlowHttpResult(slow, round.seen(), round.perSecond(),
                        Duration.ofMillis(Math.round(round.seen() / Math.max(round.perSecond(), 1e-9) * 1000)));
            }
        }
    }

    private Round round(KafkaProducer<String, byte[]> input, String topic, OutputCounter results, ChildJvm jvm,
                        String side, int round, int count, AgentSpec agent) {
        results.markEnd();
        Optional<JvmCpu> cpuBefore = jvm.cpu();
        String prefix = "job_" + side.replace('-', '_') + "_r" + round + "_";
        for (int i = 0; i < count; i++) {
            String jobId = prefix + i;
            input.send(new ProducerRecord<>(topic, jobId, request(jobId, agent)));
        }
        input.flush();
        Duration timeout = Duration.ofSeconds(60).plus(settings.slowHttp() == null ? Duration.ZERO
                : settings.slowHttp().latency().multipliedBy(Math.max(1, count / Math.max(1, settings.slowHttp().concurrency()))));
        OutputCounter.Count counted = results.await(prefix, count, timeout);
        Optional<JvmCpu> used = cpuBefore.flatMap(before -> jvm.cpu().map(after -> after.minus(before)));
        double cpuMicros = used.map(u -> ClockTicks.toMillis(u.total()) * 1e3 / count).orElse(Double.NaN);
        double jitShare = used.map(u -> u.total() == 0 ? 0.0 : (double) u.jit() / u.total()).orElse(Double.NaN);
        Round result = new Round(side, round, count, counted.seen(), counted.failed(), counted.perSecond(), cpuMicros,
                jitShare);
        progress.accept(String.format(Locale.ROOT, "%-10s round %d: %d/%d succeeded, %d failed, %.0f/s, CPU per record %s",
                side, round, counted.seen(), count, counted.failed(), counted.perSecond(),
                result.cpuText()));
        return result;
    }

    private byte[] request(String jobId, AgentSpec agent) {
        ObjectNode input = Json.MAPPER.createObjectNode();
        input.put("connection", "bench");
        input.put("eventType", "bench");
        input.put("deliveryId", jobId);
        input.putObject("payload").put("note", "worker bench");
        input.putObject("outputs");
        Instant now = Instant.now();
        StageRequested request = new StageRequested("evt_" + jobId, jobId, now, "bench", agent.kind().equals("http")
                ? SLOW_STAGE : NOOP_STAGE, 0, 1, agent, input, now.plus(Duration.ofMinutes(5)));
        try {
            return Json.MAPPER.writeValueAsBytes(request);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private ChildJvm startRawHop(String group, String in, String out) {
        Path log = settings.workDir().resolve("raw-hop.log");
        return ChildJvm.start("raw hop", System.getProperty("java.class.path"), RawShareHop.class.getName(),
                List.of(settings.bootstrap(), group, in, out), settings.javaOptions(), Map.of(), log,
                () -> contains(log, "READY"), Duration.ofSeconds(60));
    }

    private ChildJvm startWorker(String name, Path pipeline, Map<String, String> extraEnv) {
        int port = FreePorts.next();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", settings.bootstrap());
        env.put("JOBPIPE_TOPICS_NAMESPACE", namespace);
        env.put("JOBPIPE_TOPICS_PARTITIONS", String.valueOf(settings.partitions()));
        env.put("JOBPIPE_PIPELINES_FILE", pipeline.toString());
        env.put("JOBPIPE_WORKSPACE", settings.workDir().resolve("workspace").toString());
        env.put("MICRONAUT_SERVER_PORT", String.valueOf(port));
        env.putAll(extraEnv);
        Path jar = settings.home().resolve("agent-worker").resolve("target").resolve("agent-worker.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("agent-worker is not built (" + jar + "); run: mvn -B -DskipTests package");
        }
        String classPath = jar + File.pathSeparator + jar.resolveSibling("lib") + File.separator + "*";
        return ChildJvm.start(name, classPath, "io.jobpipe.worker.WorkerApplication", List.of(),
                settings.javaOptions(), env, settings.workDir().resolve(name + ".log"), () -> healthy(port),
                Duration.ofSeconds(90));
    }

    private Path writePipeline(String file, String stage, String agent, Map<String, String> stageSettings)
            throws IOException {
        StringBuilder yaml = new StringBuilder("""
                # Written by ./jobpipe bench worker: one stage, so the worker's topic and agent are the only ones.
                pipelines:
                  bench:
                    stages:
                """);
        yaml.append("      - name: ").append(stage).append('\n');
        yaml.append("        agent: ").append(agent).append('\n');
        stageSettings.forEach((key, value) -> yaml.append("        ").append(key).append(": ").append(value).append('\n'));
        yaml.append("""
                routes:
                  - connection: "*"
                    eventType: "*"
                    pipeline: bench
                """);
        Path path = settings.workDir().resolve(file);
        Files.writeString(path, yaml);
        return path;
    }

    private static boolean contains(Path log, String text) {
        try {
            return Files.exists(log) && Files.readString(log).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean healthy(int port) {
        try {
            HttpResponse<Void> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000));
    }

    private void createTopics(Admin admin, List<String> names) {
        for (String name : names) {
            try {
                admin.createTopics(List.of(new NewTopic(name, settings.partitions(), (short) 1))).all()
                        .get(15, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + name + ": " + e.getCause(), e.getCause());
                }
            } catch (Exception e) {
                throw new IllegalStateException("cannot create topic " + name + ": " + e, e);
            }
        }
    }

    /** The raw hop's group reads from the earliest record and committed records only, as the worker's does. */
    private static void configureShareGroup(Admin admin, String group) {
        List<AlterConfigOp> ops = List.of(
                new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET),
                new AlterConfigOp(new ConfigEntry("share.isolation.level", "read_committed"), AlterConfigOp.OpType.SET));
        try {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group), ops)).all()
                    .get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot configure share group " + group + ": " + e, e);
        }
    }

    private static void deleteTopics(Admin admin, List<String> names) {
        try {
            admin.deleteTopics(names).all().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Best effort: a topic the worker never created is simply not there.
        }
    }
}
