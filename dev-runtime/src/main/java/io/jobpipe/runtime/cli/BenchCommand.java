package io.jobpipe.runtime.cli;

import io.jobpipe.runtime.bench.ArrivalSchedule;
import io.jobpipe.runtime.bench.BenchReport;
import io.jobpipe.runtime.bench.Benchmark;
import io.jobpipe.runtime.client.WebhookRequest;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ./jobpipe bench}: open-loop load on a running jobpipe, end-to-end latency, loss, and a Kafka baseline. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false, subcommands = {IngestBenchCommand.class, WorkerBenchCommand.class,
        ProjectionBenchCommand.class, SseBenchCommand.class},
        description = {
                "Benchmark a RUNNING jobpipe (./jobpipe up) on this machine.",
                "1. Baseline: a raw Kafka hop (idempotent acks=all producer → read_committed consumer) on a temporary "
                        + "topic of the same broker, at the same rate, for a quarter of the count.",
                "2. Pipeline: webhooks posted at a fixed arrival rate (open loop); every latency is measured from the "
                        + "request's scheduled send time, so stalls are not hidden. Completion is read from the "
                        + "job-events topic (read_committed, positioned before the first send).",
                "3. Loss: every accepted job must end COMPLETED, on the topic and on the status service (GET /jobs/{id}).",
                "4. Cost: CPU of every process of the system (broker, PostgreSQL with all its processes, each service; "
                        + "found by port, else by ./jobpipe up's pid files) from /proc: idle for --idle before any load "
                        + "(%% of one core), then CPU ms per job under load; the bench's own CPU separately.",
                "./jobpipe bench ingest measures ingest's front door alone against a bare Micronaut endpoint "
                        + "(issue 7's throughput and p99 targets): ./jobpipe bench ingest --help.",
                "--find-knee steps the rate up instead and prints the highest rate with p99 <= 1 s and zero loss.",
                "--bulk-replay N runs issue 8's bulk-replay benchmark instead: seeds N dead letters (webhooks the dev "
                        + "pipeline fails-on-demand fails; paced by --seed-rate), measures normal traffic at --rate for "
                        + "--duration (baseline phase), then the same traffic again while a bulk replay of exactly the "
                        + "seeded jobs (POST /ops/dead-letters/replay: their pipeline and time range, checked by a dry run "
                        + "first, with the patch {\"fail\":false}) runs at --replay-rate; every replayed job must end "
                        + "COMPLETED. Prints both phases side by side and the p99 ratio against issue 8's 2x target "
                        + "(PASS/FAIL; not part of the exit code). No raw Kafka baseline in this mode.",
                "Progress is printed once a second. Only loopback targets are allowed; the load stops by itself.",
                "Exit: 0 all accepted jobs completed; 1 a job was lost, failed or dead-lettered (or none was accepted); "
                        + "2 the benchmark could not run. With --bulk-replay: 0 the replay completed every seeded job and "
                        + "no normal job was lost in either phase; 1 otherwise; 2 it could not run (seeding failed, the "
                        + "dry run matched other dead letters, the ops API refused)."})
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--rate", defaultValue = "100", description = "webhooks per second (default: ${DEFAULT-VALUE})")
    double rate;

    @ArgGroup(exclusive = true)
    Amount amount;

    static final class Amount {
        @Option(names = "--duration", converter = DurationConverter.class,
                description = "how long to send (default: 60s)")
        Duration duration;
        @Option(names = "--count", description = "how many webhooks to send (instead of --duration)")
        Integer count;
    }

    @Mixin
    WebhookBodyOptions webhookBody;

    @Option(names = "--concurrency", defaultValue = "64", description = "requests in flight at most (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--drain-timeout", defaultValue = "60s", converter = DurationConverter.class,
            description = "after the last answer, how long to wait for accepted jobs to finish (default: ${DEFAULT-VALUE})")
    Duration drainTimeout;

    @Option(names = "--request-timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "HTTP request timeout (default: ${DEFAULT-VALUE})")
    Duration requestTimeout;

    @Option(names = "--status-timeout", defaultValue = "15s", converter = DurationConverter.class,
            description = "how long the status service may lag behind the topic in the cross-check (default: ${DEFAULT-VALUE})")
    Duration statusTimeout;

    @Option(names = "--no-baseline", description = "skip the raw Kafka baseline")
    boolean noBaseline;

    @Option(names = "--no-status-check", description = "skip the GET /jobs/{id} cross-check")
    boolean noStatusCheck;

    @Option(names = "--json", paramLabel = "FILE", description = "also write every figure to FILE as JSON")
    Path json;

    @Mixin
    SystemTargetOptions target;

    @Option(names = "--idle", defaultValue = "5s", converter = DurationConverter.class,
            description = "measure the idle CPU of every part this long before any load; 0s skips it (default: ${DEFAULT-VALUE})")
    Duration idle;

    @Option(names = "--warm-up", defaultValue = "0s", converter = DurationConverter.class,
            description = "first send load at --rate this long, drained and not measured, so the services' JIT has "
                    + "compiled the hot path (right after ./jobpipe up, compilation costs more CPU than the jobs "
                    + "for minutes); 0s: none (default: ${DEFAULT-VALUE})")
    Duration warmUp;

    @Option(names = "--no-cpu", description = "do not measure CPU per process")
    boolean noCpu;

    @Option(names = "--find-knee", description = "step the rate up (--knee-rates), each step --step-duration long and "
            + "drained before the next, and print the highest rate with p99 <= --knee-p99 and zero loss")
    boolean findKnee;

    @Option(names = "--knee-rates", split = ",", defaultValue = "50,100,200,300,400,500",
            description = "rates of --find-knee, ascending (default: ${DEFAULT-VALUE})")
    List<Double> kneeRates;

    @Option(names = "--step-duration", defaultValue = "20s", converter = DurationConverter.class,
            description = "how long each --find-knee step sends (default: ${DEFAULT-VALUE})")
    Duration stepDuration;

    @Option(names = "--knee-p99", defaultValue = "1s", converter = DurationConverter.class,
            description = "the end-to-end p99 a --find-knee step must stay within (default: ${DEFAULT-VALUE})")
    Duration kneeP99;

    @Option(names = "--knee-budget", defaultValue = "15m", converter = DurationConverter.class,
            description = "--find-knee stops before a step could end later than this (default: ${DEFAULT-VALUE})")
    Duration kneeBudget;

    @Option(names = "--knee-pause", defaultValue = "5s", converter = DurationConverter.class,
            description = "quiet time after each drained --find-knee step (default: ${DEFAULT-VALUE})")
    Duration kneePause;

    @Option(names = "--bulk-replay", paramLabel = "N", description = "issue 8's bulk-replay benchmark: seed N dead "
            + "letters, then measure normal traffic without and during their bulk replay (see above)")
    Integer bulkReplay;

    @Option(names = "--replay-rate", paramLabel = "N", defaultValue = "500", description = "with --bulk-replay: the "
            + "bulk replay's commands per second, 1..1000 (default: ${DEFAULT-VALUE})")
    int replayRate;

    @Option(names = "--replay-max-running", paramLabel = "N", description = "with --bulk-replay: at most N replayed "
            + "jobs unfinished at once, 0 for no bound (default: the ops API's, 10)")
    Integer replayMaxRunning;

    @Option(names = "--seed-rate", defaultValue = "100", description = "with --bulk-replay: webhooks per second while "
            + "seeding the dead letters (default: ${DEFAULT-VALUE})")
    double seedRate;

    @Option(names = "--seed-timeout", defaultValue = "5m", converter = DurationConverter.class,
            description = "with --bulk-replay: after the last seeding answer, how long the seeded jobs may take to be "
                    + "dead-lettered, and then to be listed by the status service's dry run (default: ${DEFAULT-VALUE})")
    Duration seedTimeout;

    @Option(names = "--replay-timeout", defaultValue = "5m", converter = DurationConverter.class,
            description = "with --bulk-replay: after the replay phase's traffic drained, how long the replayed jobs may "
                    + "take to complete (default: ${DEFAULT-VALUE})")
    Duration replayTimeout;

    @Option(names = "--phase-pause", defaultValue = "5s", converter = DurationConverter.class,
            description = "with --bulk-replay: quiet time before each phase (default: ${DEFAULT-VALUE})")
    Duration phasePause;

    @Option(names = "--token", description = "with --bulk-replay: ops API bearer token (default: $" + OpsToken.ENV
            + ", else " + OpsToken.DEV_OPERATE + " for a loopback status URL)")
    String token;

    @Option(names = "--ops-poll-interval", defaultValue = "500ms", converter = DurationConverter.class, hidden = true)
    Duration opsPollInterval;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Benchmark.Plan plan;
        try {
            plan = plan();
        } catch (IllegalArgumentException | IOException e) {
            err.println("bench: " + e.getMessage());
            return 2;
        }
        if (bulkReplay != null) {
            return bulkReplay(plan, out, err);
        }
        if (findKnee) {
            return new KneeRun(plan, kneeRates, stepDuration, kneeP99, kneePause, kneeBudget, out, err).call();
        }
        BenchReport report;
        try {
            report = new Benchmark(plan, out).run();
        } catch (IllegalStateException | org.apache.kafka.common.KafkaException e) {
            err.println("bench could not run: " + e.getMessage());
            return 2;
        }
        return FiguresFile.finish(BenchReportPrinter.render(report), report, report.passed(), json, out, err);
    }

    private int bulkReplay(Benchmark.Plan plan, PrintWriter out, PrintWriter err) throws InterruptedException {
        OpsApi api;
        BulkReplayRun.Settings settings;
        try {
            settings = bulkReplaySettings();
            api = OpsTargetOptions.api(spec, token, target.statusUrl);
        } catch (IllegalArgumentException | OpsFailure e) {
            err.println("bench: " + e.getMessage());
            return 2;
        }
        try {
            return new BulkReplayRun(plan, settings, api, json, out, err).call();
        } catch (IllegalStateException | org.apache.kafka.common.KafkaException e) {
            err.println("bench could not run: " + e.getMessage());
            return 2;
        }
    }

    private BulkReplayRun.Settings bulkReplaySettings() {
        if (findKnee) {
            throw new IllegalArgumentException("--bulk-replay and --find-knee are separate modes; give one");
        }
        if (bulkReplay < 1 || bulkReplay > 100_000) {
            throw new IllegalArgumentException("--bulk-replay must be within 1..100000 (the ops API's limit), got "
                    + bulkReplay);
        }
        if (replayRate < 1 || replayRate > 1000) {
            throw new IllegalArgumentException("--replay-rate must be within 1..1000 (the ops API's limit), got "
                    + replayRate);
        }
        if (!(seedRate > 0) || seedRate > ArrivalSchedule.MAX_RATE) {
            throw new IllegalArgumentException("--seed-rate must be within (0, " + (int) ArrivalSchedule.MAX_RATE + "]");
        }
        requirePositive("--seed-timeout", seedTimeout);
        requirePositive("--replay-timeout", replayTimeout);
        requirePositive("--ops-poll-interval", opsPollInterval);
        if (phasePause.isNegative()) {
            throw new IllegalArgumentException("--phase-pause must not be negative");
        }
        if (replayMaxRunning != null && replayMaxRunning < 0) {
            throw new IllegalArgumentException("--replay-max-running must be 0 (no bound) or more");
        }
        return new BulkReplayRun.Settings(bulkReplay, seedRate, replayRate, seedTimeout, replayTimeout, phasePause,
                opsPollInterval, replayMaxRunning);
    }

    private Benchmark.Plan plan() throws IOException {
        target.requireLoopback();
        if (idle.isNegative() || idle.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("--idle must be within 0s..10m");
        }
        if (warmUp.isNegative() || warmUp.compareTo(Duration.ofMinutes(30)) > 0) {
            throw new IllegalArgumentException("--warm-up must be within 0s..30m");
        }
        if (concurrency < 1 || concurrency > 4096) {
            throw new IllegalArgumentException("--concurrency must be within 1..4096, got " + concurrency);
        }
        requirePositive("--drain-timeout", drainTimeout);
        requirePositive("--request-timeout", requestTimeout);
        requirePositive("--status-timeout", statusTimeout);
        if (drainTimeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("--drain-timeout is at most 1h");
        }
        ArrivalSchedule schedule;
        if (amount != null && amount.count != null) {
            schedule = new ArrivalSchedule(rate, amount.count);
        } else {
            Duration duration = amount == null || amount.duration == null ? Duration.ofSeconds(60) : amount.duration;
            if (duration.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("--duration is at most 1h");
            }
            schedule = ArrivalSchedule.forDuration(rate, duration);
        }
        WebhookBodyOptions.Payload payload = webhookBody.load();
        return new Benchmark.Plan(target.ingestUrl, target.statusUrl, target.bootstrapServers, target.topics(),
                new WebhookRequest(webhookBody.connection, payload.bytes(), payload.eventType(), null, Map.of()),
                payload.sample(), payload.label(), schedule, concurrency,
                requestTimeout, drainTimeout, statusTimeout, !noBaseline, !noStatusCheck,
                noCpu ? List.of() : target.parts(), target.dataDirOrDefault(), idle, warmUp);
    }

    private static void requirePositive(String option, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(option + " must be positive");
        }
    }
}
