package io.jobpipe.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.runtime.bench.ArrivalSchedule;
import io.jobpipe.runtime.bench.BenchLog;
import io.jobpipe.runtime.bench.BenchReport;
import io.jobpipe.runtime.bench.Benchmark;
import io.jobpipe.runtime.bench.BulkReplayReport;
import io.jobpipe.runtime.bench.DeadLetterSeeder;
import io.jobpipe.runtime.bench.JobEventsWatcher;
import io.jobpipe.runtime.bench.JobLedger;
import io.jobpipe.runtime.bench.ReplayFigures;
import io.jobpipe.runtime.bench.ReplayImpact;
import io.jobpipe.runtime.bench.StatusCrossCheck;
import io.jobpipe.runtime.client.HttpClients;

import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./jobpipe bench --bulk-replay N}, issue 8's bulk-replay benchmark: seeds N dead letters (pipeline
 * {@code fails-on-demand}), measures normal traffic without a replay (the baseline phase), then the same traffic
 * while a bulk replay of exactly the seeded jobs, with the input patch that lets them pass, runs through the ops API
 * ({@code POST /ops/dead-letters/replay}), and compares the two p99s. Exit 0 when the replay completed every seeded
 * job and no normal job was lost in either phase, 1 otherwise, 2 when it could not run (the p99 target's verdict is
 * printed, not an exit code).
 */
final class BulkReplayRun {
    static final String REPLAY_PATH = "/ops/dead-letters/replay";

    /**
     * @param jobs          dead letters to seed and replay
     * @param seedRate      webhooks per second while seeding
     * @param replayRate    the bulk replay's {@code ratePerSecond}
     * @param seedTimeout   after the last seeding answer, how long the jobs may take to be dead-lettered
     * @param replayTimeout after the replay phase's traffic drained, how long the replayed jobs may take to complete
     * @param phasePause    quiet time before each phase
     * @param opsPollInterval how often the operation is read
     * @param maxRunning    the bulk replay's {@code maxRunning}, or null for the service's default
     */
    record Settings(int jobs, double seedRate, int replayRate, Duration seedTimeout, Duration replayTimeout,
                    Duration phasePause, Duration opsPollInterval, Integer maxRunning) {
    }

    private final Benchmark.Plan plan;
    private final Settings settings;
    private final OpsApi api;
    private final Path json;
    private final PrintWriter out;
    private final PrintWriter err;

    BulkReplayRun(Benchmark.Plan plan, Settings settings, OpsApi api, Path json, PrintWriter out, PrintWriter err) {
        this.plan = plan;
        this.settings = settings;
        this.api = api;
        this.json = json;
        this.out = out;
        this.err = err;
    }

    int call() throws InterruptedException {
        BenchLog log = new BenchLog(out);
        Instant startedAt = Instant.now();
        String runId = Benchmark.newRunId(startedAt);
        String seedPrefix = "bench-" + runId + "-seed-";
        JobLedger seeded = new JobLedger(seedPrefix);
        HttpClient client = HttpClients.newClient();
        BulkOperation operation = new BulkOperation(api, out, err, "replay", "dead letter");
        DeadLetterSeeder.Result seed;
        BenchReport baseline;
        BenchReport duringReplay;
        ReplayFigures replay;
        try (JobEventsWatcher watcher = JobEventsWatcher.startAtEnd(plan.bootstrapServers(), plan.topics().jobEvents,
                seeded)) {
            seed = new DeadLetterSeeder(client, plan.ingestUrl(), seedPrefix, plan.requestTimeout(), plan.concurrency(),
                    log).seed(new ArrivalSchedule(settings.seedRate(), settings.jobs()), seeded, watcher,
                    settings.seedTimeout());
            if (!seed.complete()) {
                err.println(seedFailure(seed));
                return 2;
            }
            ObjectNode request = replayRequest(seed, runId);
            long matched = dryRun(operation, request, log);
            if (matched != settings.jobs()) {
                err.println("bench: the replay's filter " + request.path("filter") + " matches " + matched
                        + " dead letters, not the " + settings.jobs() + " seeded " + (matched > settings.jobs()
                        ? "(other dead letters of pipeline " + DeadLetterSeeder.PIPELINE + " in that time range)"
                        : "(the status service's read model still lacks some after --seed-timeout)")
                        + "; nothing was replayed");
                return 2;
            }

            pause(log, "baseline phase: normal traffic without a replay");
            baseline = new Benchmark(plan.forStep(plan.schedule(), false, plan.statusCheck(), plan.idle(),
                    plan.warmUp()), log, () -> { }).run();
            out.print(BenchReportPrinter.render(baseline));
            out.flush();

            pause(log, "replay phase: the same traffic while the bulk replay of the " + settings.jobs()
                    + " dead letters runs");
            try (ReplayFollower follower = new ReplayFollower(operation, REPLAY_PATH, request, seeded, settings.jobs(),
                    matched, settings.opsPollInterval(), log)) {
                duringReplay = new Benchmark(plan.forStep(plan.schedule(), false, plan.statusCheck(), Duration.ZERO,
                        Duration.ZERO), log, follower::start).run();
                out.print(BenchReportPrinter.render(duringReplay));
                out.flush();
                follower.await(settings.replayTimeout());
                StatusCrossCheck.Result status = null;
                if (plan.statusCheck()) {
                    log.say("cross-check: GET /jobs/{id} on " + plan.statusUrl() + " for the " + settings.jobs()
                            + " replayed jobs");
                    status = new StatusCrossCheck(client, plan.statusUrl(), 16).run(seeded.acceptedJobIds(),
                            seeded::terminalStateOf, plan.statusTimeout());
                }
                replay = follower.figures(status);
            }
        } catch (OpsFailure e) {
            err.println("bench: " + e.getMessage());
            return 2;
        }
        BulkReplayReport report = BulkReplayReport.of(startedAt, runId, seed, baseline, duringReplay, replay,
                ReplayImpact.ISSUE_8_ALLOWED_RATIO);
        return FiguresFile.finish(BulkReplayReportPrinter.render(report), report, report.passed(), json, out, err);
    }

    /**
     * What the replay's dry run matches, asked again every {@code opsPollInterval} while it is fewer than the seeded
     * jobs, up to {@code seedTimeout}: the status service lists a dead letter once its read model has the job's
     * JobDeadLettered, which may trail the topic the seeder read.
     */
    private long dryRun(BulkOperation operation, ObjectNode request, BenchLog log)
            throws OpsFailure, InterruptedException {
        long deadline = System.nanoTime() + settings.seedTimeout().toNanos();
        long matched = operation.tryOut(REPLAY_PATH, request.deepCopy()).path("matched").asLong();
        long said = System.nanoTime();
        while (matched < settings.jobs() && System.nanoTime() < deadline) {
            if (System.nanoTime() - said >= TimeUnit.SECONDS.toNanos(1)) {
                log.say("replay: the status service lists " + matched + " of the " + settings.jobs()
                        + " dead letters so far (its read model trails the topic); asking again");
                said = System.nanoTime();
            }
            TimeUnit.MILLISECONDS.sleep(settings.opsPollInterval().toMillis());
            matched = operation.tryOut(REPLAY_PATH, request.deepCopy()).path("matched").asLong();
        }
        log.say("replay: a dry run of filter " + request.path("filter") + " matches " + matched + " dead letters");
        return matched;
    }

    /**
     * The bulk replay: the seeded jobs' pipeline and the time range they were dead-lettered in (checked by a dry
     * run), the patch that lets {@code act} pass, one replay id for the run, the rate.
     */
    private ObjectNode replayRequest(DeadLetterSeeder.Result seed, String runId) {
        ObjectNode request = Json.MAPPER.createObjectNode();
        ObjectNode filter = request.putObject("filter");
        filter.put("pipeline", DeadLetterSeeder.PIPELINE);
        filter.put("since", seed.since().toString());
        filter.put("until", seed.until().toString());
        request.put("reason", "jobpipe bench --bulk-replay, run " + runId);
        request.put("replayId", "bench-" + runId);
        request.set("inputPatch", patch());
        request.put("ratePerSecond", settings.replayRate());
        if (settings.maxRunning() != null) {
            request.put("maxRunning", settings.maxRunning());
        }
        return request;
    }

    private static JsonNode patch() {
        return new JsonPatchConverter().convert(DeadLetterSeeder.REPAIR_PATCH);
    }

    private void pause(BenchLog log, String next) throws InterruptedException {
        log.say(String.format("%d s quiet, then the %s", settings.phasePause().toSeconds(), next));
        TimeUnit.MILLISECONDS.sleep(settings.phasePause().toMillis());
    }

    private String seedFailure(DeadLetterSeeder.Result seed) {
        StringBuilder message = new StringBuilder(String.format(
                "bench: could not seed %d dead letters: %d accepted (%d not; first error: %s), %d dead-lettered, "
                        + "%d ended otherwise, %d still running after the seed timeout of %d s",
                seed.requested(), seed.accepted(), seed.notAccepted(), seed.firstError() == null ? "none" : seed.firstError(),
                seed.deadLettered(), seed.otherwiseEnded(), seed.inFlight(), settings.seedTimeout().toSeconds()));
        List<String> examples = seed.examples();
        examples.forEach(example -> message.append(System.lineSeparator()).append("  ").append(example));
        message.append(System.lineSeparator()).append("  (the dev pipeline ").append(DeadLetterSeeder.PIPELINE)
                .append(" exists only in ./jobpipe up's dev profile; --seed-timeout waits longer)");
        return message.toString();
    }
}
