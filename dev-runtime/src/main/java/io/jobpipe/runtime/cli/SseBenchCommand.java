package io.jobpipe.runtime.cli;

import io.jobpipe.runtime.bench.sse.SseBench;
import io.jobpipe.runtime.supervisor.RuntimeOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ./jobpipe bench sse}: status-service's memory per SSE subscriber, and event latency to subscribers. */
@Command(name = "sse", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Measure one status-service of the bench's own (its own JVM and log, a scratch database and topics, "
                        + "all removed afterwards) on the broker and PostgreSQL of a RUNNING ./jobpipe up.",
                "1. Memory: --subscribers running jobs, one SSE subscriber each, all open at once; status's RSS "
                        + "above its RSS before, per subscriber. Target (issue 10): <= 32 KiB each at 10,000.",
                "2. Latency: jobs at --rate/s for --warmup, then for --duration, each 16 events over --lifetime, "
                        + "each followed by a subscriber from its start to its end (rate x lifetime at once); an event's "
                        + "latency runs from the moment the bench hands it to the producer to its arrival. The warm-up's "
                        + "figures are printed apart and not counted (a JVM just started compiles its hot code for "
                        + "about a minute under this load). Target: p99 <= 100 ms with 1,000 subscribers at 200 jobs/s.",
                "Exit: 0 every target met; 1 a target missed or streams lost; 2 could not run."})
final class SseBenchCommand implements Callable<Integer> {
    static final double KIB_TARGET = 32;
    static final long P99_TARGET_MS = 100;

    @Spec
    CommandSpec spec;

    @Option(names = "--kafka-port", defaultValue = "9092") int kafkaPort;
    @Option(names = "--postgres-port", defaultValue = "15432") int postgresPort;
    @Option(names = "--subscribers", defaultValue = "10000", description = "memory phase (default: ${DEFAULT-VALUE})")
    int subscribers;
    @Option(names = "--rate", defaultValue = "200", description = "latency phase, jobs/s (default: ${DEFAULT-VALUE})")
    int rate;
    @Option(names = "--lifetime", defaultValue = "5s", converter = DurationConverter.class,
            description = "how long each job runs (default: ${DEFAULT-VALUE})")
    Duration lifetime;
    @Option(names = "--warmup", defaultValue = "60s", converter = DurationConverter.class,
            description = "load before the measured window, not counted; at least --lifetime (default: ${DEFAULT-VALUE})")
    Duration warmup;
    @Option(names = "--duration", defaultValue = "30s", converter = DurationConverter.class,
            description = "how long jobs start in the measured window (default: ${DEFAULT-VALUE})")
    Duration duration;
    @Option(names = "--java-opts", defaultValue = "-XX:+UseSerialGC",
            description = "status-service's JVM options, after the heap ./jobpipe up gives status (256-512 MB; a heap option here replaces it) (default: ${DEFAULT-VALUE})")
    String javaOpts;
    @Option(names = "--json", paramLabel = "FILE", description = "also write every figure to FILE as JSON")
    Path json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (subscribers < 100 || subscribers > 15_000 || rate < 1 || rate > 2000 || duration.toSeconds() < 5
                || warmup.isNegative() || warmup.toMinutes() > 30) {
            err.println("bench sse: --subscribers must be within 100..15000 (one socket each; mind ulimit -n), --rate"
                    + " 1..2000, --duration >= 5s, --warmup 0..30m");
            return 2;
        }
        Path home = Home.path();
        RuntimeOptions options = new RuntimeOptions(home, home.resolve(".jobpipe"), kafkaPort, 0, postgresPort, 0, 0, 0,
                0, 3, "", javaOpts);
        SseBench.Report report;
        try {
            report = new SseBench(new SseBench.Settings(options, subscribers, rate, lifetime, warmup, duration,
                    javaOpts),
                    line -> {
                        out.println(line);
                        out.flush();
                    }).run();
        } catch (Exception e) {
            err.println("bench sse could not run: " + e.getMessage());
            return 2;
        }
        SseBench.Memory memory = report.memory();
        SseBench.Latency latency = report.latency();
        boolean memoryMet = memory.fed() == memory.subscribers() && memory.kibPerSubscriber() <= KIB_TARGET;
        boolean latencyMet = latency.p99() <= P99_TARGET_MS && latency.failedStreams() == 0
                && latency.completedStreams() == latency.jobsStarted() && latency.outOfOrder() == 0;
        String text = String.format(Locale.ROOT, "%nmemory: %d subscribers, %.1f KiB each above the baseline "
                        + "(target <= %.0f) %s%nlatency: %d jobs/s, peak %d subscribers, p99 %d ms (target <= %d), "
                        + "%d/%d streams complete, %d failed, %d out of order %s%n", memory.subscribers(),
                memory.kibPerSubscriber(), KIB_TARGET, memoryMet ? "PASS" : "FAIL", latency.rate(),
                latency.peakSubscribers(), latency.p99(), P99_TARGET_MS, latency.completedStreams(),
                latency.jobsStarted(), latency.failedStreams(), latency.outOfOrder(), latencyMet ? "PASS" : "FAIL");
        return FiguresFile.finish(text, report, memoryMet && latencyMet, json, out, err);
    }
}
