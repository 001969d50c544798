package io.jobpipe.runtime.cli;

import io.jobpipe.runtime.bench.worker.WorkerBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ./jobpipe bench worker}: the agent worker against a raw share-consumer hop, and a slow HTTP agent's throughput. */
@Command(name = "worker", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Measure the agent worker alone, on the broker of a RUNNING ./jobpipe up, in topics and share groups of "
                        + "its own (namespace bench-<run>.), deleted afterwards; the running system is not used.",
                "1. No-op: a real agent-worker (its own JVM, one stage bound to builtin:noop) against a raw share "
                        + "consumer -> producer hop (its own JVM, the worker's client settings, nothing else), --rounds "
                        + "rounds alternating; each round writes --count stage requests at once and times the results "
                        + "between the first and the last. Target (issue 9): the worker's best >= 80%% of the raw hop's best.",
                "2. With --slow-http: one worker whose only stage is an HTTP agent on a loopback server of the bench "
                        + "that answers after --slow-latency, at stage concurrency --slow-concurrency; --slow-count jobs. "
                        + "Target (issue 9): >= 20 jobs/s for 2 s at 50.",
                "Exit: 0 every target met; 1 a target missed or results missing; 2 could not run."})
final class WorkerBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap", defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}",
            description = "the running broker (default: ${DEFAULT-VALUE})")
    String bootstrap;

    @Option(names = "--count", defaultValue = "5000", description = "stage requests per round (default: ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--rounds", defaultValue = "3", description = "measured rounds of each side (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--partitions", defaultValue = "6", description = "partitions of the bench topics (default: ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--slow-http", description = "also run the slow HTTP agent phase")
    boolean slowHttp;

    @Option(names = "--slow-latency", defaultValue = "2s", converter = DurationConverter.class,
            description = "how long the slow agent takes to answer (default: ${DEFAULT-VALUE})")
    Duration slowLatency;

    @Option(names = "--slow-concurrency", defaultValue = "50", description = "the slow stage's concurrency (default: ${DEFAULT-VALUE})")
    int slowConcurrency;

    @Option(names = "--slow-count", defaultValue = "500", description = "jobs sent to the slow agent (default: ${DEFAULT-VALUE})")
    int slowCount;

    @Option(names = "--java-opts", defaultValue = "-Xms64m -Xmx512m -XX:+UseSerialGC",
            description = "JVM options of both sides, as ./jobpipe up's services get by default (default: ${DEFAULT-VALUE})")
    String javaOpts;

    @Option(names = "--json", paramLabel = "FILE", description = "also write every figure to FILE as JSON")
    Path json;

    static final double RATIO_TARGET = 0.8;
    static final double SLOW_TARGET_PER_SECOND = 20;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (count < 100 || count > 1_000_000 || rounds < 1 || rounds > 20 || slowConcurrency < 1 || slowCount < 10) {
            err.println("bench worker: --count must be within 100..1000000, --rounds 1..20, --slow-concurrency >= 1,"
                    + " --slow-count >= 10");
            return 2;
        }
        List<String> javaOptions = Arrays.stream(javaOpts.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
        WorkerBench.Report report;
        try {
            Path work = Files.createTempDirectory("jobpipe-bench-worker");
            report = new WorkerBench(new WorkerBench.Settings(bootstrap, Home.path(), work, count, rounds, partitions,
                    javaOptions, slowHttp ? new WorkerBench.SlowHttp(slowLatency, slowConcurrency, slowCount) : null),
                    line -> {
                        out.println(line);
                        out.flush();
                    }).run();
            out.println("logs: " + work);
        } catch (IOException | IllegalStateException e) {
            err.println("bench worker could not run: " + e.getMessage());
            return 2;
        }
        boolean complete = report.rounds().stream().allMatch(r -> r.seen() == r.count())
                && (report.slowHttp() == null || report.slowHttp().seen() == report.slowHttp().settings().count());
        boolean ratioMet = report.ratio() >= RATIO_TARGET;
        boolean slowMet = report.slowHttp() == null || report.slowHttp().perSecond() >= SLOW_TARGET_PER_SECOND;
        return FiguresFile.finish(render(report, ratioMet, slowMet, complete), report, ratioMet && slowMet && complete,
                json, out, err);
    }

    static String render(WorkerBench.Report report, boolean ratioMet, boolean slowMet, boolean complete) {
        StringBuilder text = new StringBuilder("\nround  side        succeeded    failed      rate  CPU/record\n");
        for (WorkerBench.Round round : report.rounds()) {
            text.append(String.format(Locale.ROOT, "%5d  %-10s %6d/%-6d %6d %8.0f/s  %s%n", round.round(),
                    round.side(), round.seen(), round.count(), round.failed(), round.perSecond(), round.cpuText()));
        }
        text.append(String.format(Locale.ROOT, "%nno-op worker best %.0f/s, raw share hop best %.0f/s: ratio %.2f "
                + "(target >= %.2f) %s%n", report.workerBest(), report.rawBest(), report.ratio(), RATIO_TARGET,
                ratioMet ? "PASS" : "FAIL"));
        if (report.slowHttp() != null) {
            WorkerBench.SlowHttpResult slow = report.slowHttp();
            text.append(String.format(Locale.ROOT, "slow HTTP agent (%d ms, concurrency %d): %d/%d jobs, %.1f jobs/s "
                            + "(target >= %.0f) %s%n", slow.settings().latency().toMillis(), slow.settings().concurrency(),
                    slow.seen(), slow.settings().count(), slow.perSecond(), SLOW_TARGET_PER_SECOND, slowMet ? "PASS" : "FAIL"));
        }
        if (!complete) {
            text.append("MISSING RESULTS: a round did not get every request back as a success in time (failures or"
                    + " timeouts; see the rounds above and the logs)\n");
        }
        return text.toString();
    }
}
