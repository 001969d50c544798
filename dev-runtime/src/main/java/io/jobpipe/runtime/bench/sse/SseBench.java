package io.jobpipe.runtime.bench.sse;

import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.SyntheticRun;
import io.jobpipe.core.kafka.TopicProvisioner;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.runtime.bench.ScratchDatabase;
import io.jobpipe.runtime.infra.FreePorts;
import io.jobpipe.runtime.procfs.ClockTicks;
import io.jobpipe.runtime.procfs.JvmCpu;
import io.jobpipe.runtime.supervisor.JobpipeRuntime;
import io.jobpipe.runtime.supervisor.ManagedProcess;
import io.jobpipe.runtime.supervisor.RuntimeOptions;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * {@code ./jobpipe bench sse}: one status-service of the bench's own (its own JVM, as {@code up} starts status, on a
 * scratch database and topics of its own, on the broker and PostgreSQL of a running {@code ./jobpipe up}).
 * <ol>
 *   <li>Memory: {@code subscribers} jobs are written (each accepted and dispatched, so their streams stay open), then
 *       as many SSE subscribers open, one per job, from one selector thread of this JVM. Status's RSS (procfs) with
 *       all of them open and fed, minus its RSS before, over their count. Issue 10's target: at most 32 KiB each.</li>
 *   <li>Latency: jobs start at {@code rate}/s, each a successful seven-stage run whose 16 events are written over
 *       {@code lifetime} (so rate x lifetime subscribers are open at once); each job gets a subscriber as it starts,
 *       which follows it to its end. Every event's latency is from the moment the bench handed it to the producer to
 *       the moment its data line arrived. Target: p99 at most 100 ms with 1,000 subscribers at 200 jobs/s. The same
 *       load runs for {@code warmup} first, its figures printed apart and not counted: the target is a running
 *       service's, and a JVM just started spends about its first minute under this load compiling (here half of
 *       status's CPU, and the p99 two to four times the warm one).</li>
 * </ol>
 */
public final class SseBench {
    /** Events of one job's run; each is stamped with the moment it is handed to the producer. */
    static final int EVENTS = SyntheticRun.events(SyntheticRun.DEFAULT_STAGES);

    /** From an event's occurredAt to the commit of its read-model rows (status's projection, per event). */
    static final String LAG_HISTOGRAM = "jobpipe_status_projection_lag_seconds";

    public record Settings(RuntimeOptions options, int subscribers, int rate, Duration lifetime, Duration warmup,
                           Duration duration, String javaOpts) {
    }

    public record Memory(int subscribers, int fed, int failed, long baselineKib, long loadedKib, double kibPerSubscriber) {
    }

    /**
     * The measured window's figures (after the warm-up); {@code warmup}: the same load before it, not counted;
     * {@code statusJitCpuPercent}: of status's CPU, its JIT compiler threads' (-1 without {@code /proc}).
     */
    public record Latency(int rate, long jobsStarted, int peakSubscribers, long events, long p50, long p95, long p99,
                          long p999, long max, long completedStreams, long failedStreams, long outOfOrder,
                          double statusCpuPercent, double statusJitCpuPercent, long readModelLagP50AtMost,
                          long readModelLagP99AtMost, Warmup warmup) {
    }

    /** The warm-up's figures, apart, over its recorded part (after the first lifetime): 0 seconds when none. */
    public record Warmup(long seconds, long events, long p50, long p99, long max, double statusCpuPercent,
                         double statusJitCpuPercent) {
    }

    public record Report(Memory memory, Latency latency) {
    }

    private final Settings settings;
    private final Consumer<String> out;
    private final String namespace = "bench-sse-" + Long.toString(System.currentTimeMillis(), 36) + ".";

    public SseBench(Settings settings, Consumer<String> out) {
        this.settings = settings;
        this.out = out;
    }

    public Report run() throws Exception {
        RuntimeOptions options = settings.options();
        Topics topics = Topics.of(namespace);
        List<String> topicNames = topics.allNames(SyntheticRun.DEFAULT_STAGES);
        try (ScratchDatabase database = ScratchDatabase.create(options, "jobpipe_bench_sse");
             Admin kafka = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers()))) {
            new TopicProvisioner(kafka, options.partitions(), (short) 1).ensure(topics, SyntheticRun.DEFAULT_STAGES);
            int port = FreePorts.next();
            String scratch = database.jdbcUrl();
            ManagedProcess status = JobpipeRuntime.statusProcess(options, "status-bench-sse", List.of(), scratch, port, Map.of(
                    "JOBPIPE_TOPICS_NAMESPACE", namespace,
                    "JOBPIPE_STATUS_MAX_STREAMS", String.valueOf(settings.subscribers() * 2),
                    "JOBPIPE_STATUS_MAX_STREAMS_PER_CLIENT", "0",
                    "JOBPIPE_STATUS_RETENTION_ENABLED", "false"), settings.javaOpts());
            status.start();
            try (KafkaProducer<String, byte[]> producer = producer(options)) {
                await("status-service ready", Duration.ofSeconds(90), () -> ready(port));
                out.accept("status-service (pid " + status.pid() + ") ready on :" + port + "; log "
                        + status.logFile());
                Memory memory = memory(status, port, topics, producer, scratch);
                Latency latency = latency(status, port, topics, producer);
                return new Report(memory, latency);
            } finally {
                status.stop(Duration.ofSeconds(15));
                kafka.deleteTopics(topicNames);
            }
        }
    }

    private Memory memory(ManagedProcess status, int port, Topics topics, KafkaProducer<String, byte[]> producer,
                          String scratch) throws Exception {
        int n = settings.subscribers();
        out.accept("memory: writing " + n + " running jobs");
        for (int i = 0; i < n; i++) {
            String jobId = "mem-" + i;
            send(producer, topics, SyntheticRun.event(jobId, 0, SyntheticRun.DEFAULT_STAGES, "bench", Instant.now()));
            send(producer, topics, SyntheticRun.event(jobId, 1, SyntheticRun.DEFAULT_STAGES, "bench", Instant.now()));
        }
        producer.flush();
        await("the jobs projected", Duration.ofMinutes(3), () -> count(scratch, "SELECT count(*) FROM jobs") >= n);
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", port);
        // Warm-up: the first streams load classes and fill pools once for all; that is not per subscriber.
        try (SseSubscribers warm = new SseSubscribers(server, new LatencyRecorder())) {
            List<SseSubscribers.Subscriber> first = new ArrayList<>();
            for (int i = 0; i < Math.min(500, n); i++) {
                first.add(warm.subscribe("mem-" + i));
            }
            await("warm-up streams fed", Duration.ofSeconds(60), () -> first.stream().allMatch(s -> s.events >= 2));
        }
        Thread.sleep(3000);
        long baseline = rssKib(status.pid());
        out.accept("memory: status RSS " + baseline / 1024 + " MiB before; opening " + n + " subscribers");
        try (SseSubscribers subscribers = new SseSubscribers(server, new LatencyRecorder())) {
            List<SseSubscribers.Subscriber> all = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                all.add(subscribers.subscribe("mem-" + i));
                if (i % 500 == 499) {
                    Thread.sleep(100);
                }
            }
            await("every subscriber fed", Duration.ofMinutes(3),
                    () -> all.stream().allMatch(s -> s.events >= 2 || s.failed));
            Thread.sleep(5000);
            long loaded = rssKib(status.pid());
            int fed = (int) all.stream().filter(s -> s.events >= 2 && !s.failed).count();
            int failed = (int) all.stream().filter(s -> s.failed).count();
            double each = (loaded - baseline) / (double) n;
            out.accept(String.format(Locale.ROOT, "memory: %d subscribers open and fed (%d failed): RSS %d MiB, "
                    + "%.1f KiB each above the baseline", fed, failed, loaded / 1024, each));
            return new Memory(n, fed, failed, baseline, loaded, each);
        }
    }

    private Latency latency(ManagedProcess status, int port, Topics topics, KafkaProducer<String, byte[]> producer)
            throws Exception {
        int rate = settings.rate();
        long intervalMicros = 1_000_000L / rate;
        long stepMicros = settings.lifetime().toNanos() / 1000 / (EVENTS - 1);
        // The measured window starts after the warm-up (at least the first lifetime, while subscribers ramp up).
        Duration warmup = settings.warmup().compareTo(settings.lifetime()) > 0 ? settings.warmup() : settings.lifetime();
        long jobs = rate * (warmup.toSeconds() + settings.duration().toSeconds());
        out.accept(String.format(Locale.ROOT, "latency: %d jobs/s for %d s, the first %d s a warm-up not counted; each"
                        + " %d events over %d ms (about %d subscribers at once)", rate,
                warmup.toSeconds() + settings.duration().toSeconds(), warmup.toSeconds(), EVENTS,
                settings.lifetime().toMillis(), rate * settings.lifetime().toMillis() / 1000));
        LatencyRecorder latencies = new LatencyRecorder();
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        int peak = 0;
        List<SseSubscribers.Subscriber> followed = new ArrayList<>();
        long started = System.nanoTime();
        try (SseSubscribers subscribers = new SseSubscribers(new InetSocketAddress("127.0.0.1", port), latencies)) {
            for (long j = 0; j < jobs; j++) {
                String jobId = "lat-" + j;
                long at = j * intervalMicros;
                scheduler.schedule(() -> {
                    send(producer, topics, SyntheticRun.event(jobId, 0, SyntheticRun.DEFAULT_STAGES, "bench", Instant.now()));
                    synchronized (followed) {
                        followed.add(subscribers.subscribe(jobId));
                    }
                }, at, TimeUnit.MICROSECONDS);
                for (int step = 1; step < EVENTS; step++) {
                    int s = step;
                    scheduler.schedule(() -> send(producer, topics, SyntheticRun.event(jobId, s, SyntheticRun.DEFAULT_STAGES, "bench", Instant.now())),
                            at + step * stepMicros, TimeUnit.MICROSECONDS);
                }
            }
            // The first lifetime (subscribers ramp up to their steady count) is not recorded at all; the rest of the
            // warm-up is recorded apart: a status just started compiles its hot code under this load for about a
            // minute, and that compiling took half of its CPU here (printed, not counted).
            Thread.sleep(settings.lifetime().toMillis());
            latencies.start();
            subscribers.firstEvents.start();
            StatusCpu warmupCpu = StatusCpu.read(status.pid());
            sleepUntil(started + warmup.toNanos());
            Warmup warm = warmup(latencies, warmupCpu.since(status.pid()), warmup.minus(settings.lifetime()));
            latencies.reset();
            subscribers.firstEvents.reset();
            LagHistogram lagBefore = readModelLag(port);
            StatusCpu cpuBefore = StatusCpu.read(status.pid());
            long end = started + warmup.toNanos() + settings.duration().toNanos() + settings.lifetime().toNanos();
            while (System.nanoTime() < end) {
                Thread.sleep(Math.max(1, Math.min(1000, (end - System.nanoTime()) / 1_000_000)));
                peak = Math.max(peak, subscribers.open.get());
            }
            try {
                await("the last jobs' streams end", Duration.ofSeconds(60), () -> {
                    synchronized (followed) {
                        return followed.size() == jobs && followed.stream().allMatch(s -> s.done || s.failed);
                    }
                });
            } catch (IllegalStateException e) {
                synchronized (followed) {
                    throw new IllegalStateException(e.getMessage() + ": " + followed.size() + " of " + jobs
                            + " followed; not ended, by events seen: " + followed.stream().filter(s -> !s.done && !s.failed)
                            .collect(java.util.stream.Collectors.groupingBy(s -> s.events,
                                    java.util.stream.Collectors.counting())) + " (first: "
                            + followed.stream().filter(s -> !s.done && !s.failed).map(s -> s.jobId).findFirst()
                            .orElse("") + ")");
                }
            }
            latencies.stop();
            subscribers.firstEvents.stop();
            LagHistogram lag = readModelLag(port).since(lagBefore);
            StatusCpu.Used cpu = cpuBefore.since(status.pid());
            long[] summary = latencies.summary();
            long completed;
            long failed;
            synchronized (followed) {
                completed = followed.stream().filter(s -> s.done && s.events == EVENTS).count();
                failed = followed.stream().filter(s -> s.failed).count();
            }
            synchronized (followed) {
                followed.stream().filter(s -> s.failed).collect(java.util.stream.Collectors.groupingBy(
                        s -> String.valueOf(s.failure), java.util.stream.Collectors.counting()))
                        .forEach((why, n) -> out.accept("latency: " + n + " streams failed: " + why));
            }
            if (warm.events() > 0) {
                out.accept(String.format(Locale.ROOT, "latency: warm-up (%d s, not counted): %d events, p50 %d ms,"
                                + " p99 %d ms, max %d ms; status CPU %.0f%%, of which its JIT compiler %s",
                        warm.seconds(), warm.events(), warm.p50(), warm.p99(), warm.max(), warm.statusCpuPercent(),
                        percent(warm.statusJitCpuPercent())));
            }
            out.accept(String.format(Locale.ROOT, "latency: %d events recorded, p50 %d ms, p95 %d ms, p99 %d ms, "
                            + "p99.9 %d ms, max %d ms; peak %d subscribers; %d of %d streams saw all %d events, %d failed;"
                            + " status CPU %.0f%%, of which its JIT compiler %s", summary[0], summary[1], summary[2],
                    summary[3], summary[4], summary[5], peak, completed, jobs, EVENTS, failed, cpu.percent(),
                    percent(cpu.jitPercent())));
            long[] firsts = subscribers.firstEvents.summary();
            out.accept(String.format(Locale.ROOT, "latency: seconds of the run with an event later than 100 ms: %s;"
                    + " later than 500 ms: %s", latencies.secondsWorseThan(100), latencies.secondsWorseThan(500)));
            out.accept(String.format(Locale.ROOT, "latency: of that, each stream's first event (it waits for the"
                    + " stream's request too): %d events, p50 %d ms, p99 %d ms", firsts[0], firsts[1], firsts[3]));
            out.accept(String.format(Locale.ROOT, "latency: the read model meanwhile (status's %s, %d events;"
                            + " at most, a bucket's resolution): p50 <= %s, p99 <= %s after the event; streams take"
                            + " events from the topic ahead of it unless status runs with JOBPIPE_STATUS_TOPIC_TAIL=false",
                    LAG_HISTOGRAM, lag.count(), millis(lag.atMostMillis(0.50)),
                    millis(lag.atMostMillis(0.99))));
            return new Latency(rate, jobs, peak, summary[0], summary[1], summary[2], summary[3], summary[4], summary[5],
                    completed, failed, subscribers.outOfOrder.get(), cpu.percent(), cpu.jitPercent(),
                    lag.atMostMillis(0.50), lag.atMostMillis(0.99), warm);
        } finally {
            scheduler.shutdownNow();
        }
    }

    private static Warmup warmup(LatencyRecorder latencies, StatusCpu.Used cpu, Duration warmup) {
        long[] w = latencies.summary();
        return new Warmup(warmup.toSeconds(), w[0], w[1], w[3], w[5], cpu.percent(), cpu.jitPercent());
    }

    private static String percent(double value) {
        return value < 0 ? "n/a (no /proc)" : String.format(Locale.ROOT, "%.0f%%", value);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    static final int PRODUCER_LINGER_MS = 5;

    private static void send(KafkaProducer<String, byte[]> producer, Topics topics, JobEvent event) {
        producer.send(new ProducerRecord<>(topics.jobEvents.name(), event.jobId(),
                topics.jobEvents.valueSerde().serializer().serialize(topics.jobEvents.name(), event)));
    }

    /**
     * The orchestrator's stand-in. Its events leave in batches of up to {@link #PRODUCER_LINGER_MS} ms, counted in
     * each event's latency (measured from its creation). The orchestrator itself commits every 50 ms; a linger of 0
     * sent 3,200 requests a second at 200 jobs/s and cost the broker a third of a core that the status under test
     * did not have.
     */
    private static KafkaProducer<String, byte[]> producer(RuntimeOptions options) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, PRODUCER_LINGER_MS,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer());
    }

    /** Status's projection lag histogram now; empty when its metrics cannot be read (the bench goes on). */
    private static LagHistogram readModelLag(int port) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return LagHistogram.parse(r.statusCode() == 200 ? r.body() : "", LAG_HISTOGRAM);
        } catch (IOException e) {
            return LagHistogram.parse("", LAG_HISTOGRAM);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return LagHistogram.parse("", LAG_HISTOGRAM);
        }
    }

    private static String millis(long atMost) {
        return atMost < 0 ? "n/a" : atMost == Long.MAX_VALUE ? "beyond the last bucket" : atMost + " ms";
    }

    private static boolean ready(int port) {
        try {
            HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/health/readiness")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void await(String what, Duration atMost, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("bench sse: " + what + " did not happen within " + atMost);
            }
            Thread.sleep(200);
        }
    }

    static long rssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS for pid " + pid);
    }

    /** Status's CPU so far ({@code /proc}; empty without), and when it was read. */
    private record StatusCpu(long nanoTime, Optional<JvmCpu> used) {
        static StatusCpu read(long pid) {
            return new StatusCpu(System.nanoTime(), JvmCpu.of(pid));
        }

        /** Percent of one core since this reading: all of status, and its compiler threads (-1 each without). */
        Used since(long pid) {
            StatusCpu now = read(pid);
            double seconds = (now.nanoTime - nanoTime) / 1e9;
            return used.flatMap(before -> now.used.map(after -> after.minus(before)))
                    .map(d -> new Used(percent(d.total(), seconds), percent(d.jit(), seconds)))
                    .orElse(new Used(-1, -1));
        }

        private static double percent(long ticks, double seconds) {
            return 100.0 * ClockTicks.toMillis(ticks) / 1000.0 / seconds;
        }

        record Used(double percent, double jitPercent) {
        }
    }

    private static long count(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url, RuntimeOptions.DB_USER, RuntimeOptions.DB_PASSWORD);
             Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }
}
