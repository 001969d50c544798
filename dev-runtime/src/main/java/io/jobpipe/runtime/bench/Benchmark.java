package io.jobpipe.runtime.bench;

import io.jobpipe.core.kafka.Topics;
import io.jobpipe.runtime.client.HttpClients;
import io.jobpipe.runtime.client.WebhookRequest;
import io.jobpipe.runtime.client.WebhookSample;
import io.jobpipe.runtime.procfs.ClockTicks;
import io.jobpipe.runtime.procfs.ProcessTable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One benchmark run against a running jobpipe: the baseline hop first, then the pipeline at a fixed arrival rate,
 * a drain, and the status service's cross-check. Prints progress once a second; returns every figure.
 */
public final class Benchmark {
    /**
     * @param sample   the built-in sample the body came from (for its sender headers), or null for a file
     * @param template the webhook every request posts; each gets its own delivery id {@code bench-<run>-<n>}
     * @param parts    the processes whose CPU is measured (empty: no CPU figures)
     * @param dataDir  the data directory of {@code ./jobpipe up}, for its pid files (null: ports only)
     * @param idle     how long to measure the idle CPU before any load (zero: skip)
     * @param warmUp   how long to send load at the plan's rate, drained and not measured, before anything else
     *                 (zero: none), so the JVMs have compiled the hot path and the figures are steady-state
     */
    public record Plan(String ingestUrl, String statusUrl, String bootstrapServers, Topics topics,
                       WebhookRequest template, WebhookSample sample, String bodyLabel, ArrivalSchedule schedule,
                       int concurrency, Duration requestTimeout, Duration drainTimeout, Duration statusTimeout,
                       boolean baseline, boolean statusCheck, List<SystemParts.Address> parts, Path dataDir,
                       Duration idle, Duration warmUp) {

        /** This plan for one step of a longer run: another schedule, and what to measure besides the load. */
        public Plan forStep(ArrivalSchedule stepSchedule, boolean withBaseline, boolean withStatusCheck,
                            Duration stepIdle, Duration stepWarmUp) {
            return new Plan(ingestUrl, statusUrl, bootstrapServers, topics, template, sample, bodyLabel, stepSchedule,
                    concurrency, requestTimeout, drainTimeout, statusTimeout, withBaseline, withStatusCheck, parts,
                    dataDir, stepIdle, stepWarmUp);
        }
    }

    private final Plan plan;
    private final BenchLog log;
    private final Runnable onLoadStart;
    private ProgressTicker phase;

    public Benchmark(Plan plan, PrintWriter out) {
        this(plan, new BenchLog(out), () -> { });
    }

    /**
     * @param log         where progress goes (shared with the phases around this run)
     * @param onLoadStart called once, right before the first measured request is sent (after the warm-up, the idle
     *                    measurement and the baseline), so something can run alongside exactly the measured load
     */
    public Benchmark(Plan plan, BenchLog log, Runnable onLoadStart) {
        this.plan = plan;
        this.log = log;
        this.onLoadStart = onLoadStart;
    }

    public BenchReport run() throws InterruptedException {
        Instant startedAt = Instant.now();
        try (ProgressTicker ticker = new ProgressTicker(log, "bench-progress")) {
            phase = ticker;
            return measure(startedAt, newRunId(startedAt));
        }
    }

    /** {@code yyyyMMdd-HHmmss-xxxx}: names the run's delivery ids and temporary topics. */
    public static String newRunId(Instant startedAt) {
        return DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(startedAt.atOffset(ZoneOffset.UTC))
                + "-" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
    }

    private BenchReport measure(Instant startedAt, String runId) throws InterruptedException {
        String eventsTopic = plan.topics().jobEvents.name();
        HttpClient client = HttpClients.newClient();
        requireReachable(client, "ingest", plan.ingestUrl());
        if (plan.statusCheck()) {
            requireReachable(client, "status service", plan.statusUrl());
        }
        CpuMeter meter = cpuMeter();
        if (!plan.warmUp().isZero()) {
            warmUp(client, runId, meter);
        }
        CpuMeter.Reading idleStart = null;
        CpuMeter.Reading idleEnd = null;
        if (meter != null && !plan.idle().isZero()) {
            say(String.format(Locale.ROOT, "idle: measuring the CPU of every part for %d s before any load",
                    plan.idle().toSeconds()));
            idleStart = meter.read();
            TimeUnit.MILLISECONDS.sleep(plan.idle().toMillis());
            idleEnd = meter.read();
            say("idle: " + idleLine(meter, idleStart, idleEnd));
        }
        BaselineHop.Result baseline = null;
        int partitions;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, plan.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000))) {
            TopicDescription events = describe(admin, eventsTopic, plan.bootstrapServers());
            partitions = events.partitions().size();
            short replication = (short) events.partitions().get(0).replicas().size();
            if (plan.baseline()) {
                int count = Math.max(1, plan.schedule().count() / 4);
                String topic = plan.topics().namespace() + "jobpipe.bench.baseline-" + runId;
                say(String.format("baseline: %d records at %s/s through %s (%d partitions, RF %d), produce → read_committed consume",
                        count, rate(plan.schedule().ratePerSecond()), topic, partitions, replication));
                BaselineHop hop = new BaselineHop(admin, plan.bootstrapServers(), topic, partitions, replication,
                        plan.template().body().length);
                phase.show(hop::progress);
                baseline = hop.run(plan.schedule().withCount(count), plan.drainTimeout());
                phase.quiet();
                say(String.format(Locale.ROOT, "baseline: p50 %.2f ms  p99 %.2f ms  (%d/%d received)", baseline.latency().p50Ms(),
                        baseline.latency().p99Ms(), baseline.received(), baseline.count()));
            }
        }

        String deliveryPrefix = "bench-" + runId + "-";
        JobLedger ledger = new JobLedger(deliveryPrefix);
        WebhookLoad load = new WebhookLoad(client, plan.template().target(plan.ingestUrl()),
                index -> request(deliveryPrefix + index),
                plan.requestTimeout(), ledger, plan.concurrency());
        long eventsRead;
        long undecodable;
        Throwable watchFailure;
        say(String.format("pipeline: %d webhooks at %s/s to %s (connection %s, %s), at most %d in flight; "
                        + "completion read from %s", plan.schedule().count(), rate(plan.schedule().ratePerSecond()),
                plan.template().target(plan.ingestUrl()), plan.template().connection(), plan.bodyLabel(),
                plan.concurrency(), eventsTopic));
        CpuMeter.Reading loadStart;
        CpuMeter.Reading loadEnd;
        try (JobEventsWatcher watcher = JobEventsWatcher.startAtEnd(plan.bootstrapServers(), plan.topics().jobEvents, ledger)) {
            loadStart = meter == null ? null : meter.read();
            onLoadStart.run();
            sendAndDrain(plan.schedule(), load, ledger, watcher, "");
            loadEnd = meter == null ? null : meter.read();
            phase.quiet();
            say(progressLine(load, ledger, ledger.allAcceptedTerminal() ? "drained" : "drain timeout"));
            eventsRead = watcher.records();
            undecodable = watcher.undecodable();
            watchFailure = watcher.failure();
        }

        StatusCrossCheck.Result status = null;
        List<String> accepted = ledger.acceptedJobIds();
        if (plan.statusCheck() && !accepted.isEmpty()) {
            say("cross-check: GET /jobs/{id} on " + plan.statusUrl() + " for " + accepted.size() + " accepted jobs");
            phase.show(() -> "cross-checking on the status service");
            status = new StatusCrossCheck(client, plan.statusUrl(), 16).run(accepted, ledger::terminalStateOf, plan.statusTimeout());
            phase.quiet();
        }
        CpuCost cpu = meter == null ? null : CpuCost.of(meter.parts(), idleStart, idleEnd, loadStart, loadEnd,
                ledger.snapshot().accepted());
        return report(startedAt, runId, partitions, baseline, load.counts(), ledger, eventsRead, undecodable,
                watchFailure, status, cpu);
    }

    /**
     * Load at the plan's rate for {@link Plan#warmUp()}, drained, measured by nothing but a line: what the JIT compiler
     * threads used meanwhile, which is what a run straight after a start would have counted as the cost of the jobs.
     */
    private void warmUp(HttpClient client, String runId, CpuMeter meter) throws InterruptedException {
        ArrivalSchedule schedule = ArrivalSchedule.forDuration(plan.schedule().ratePerSecond(), plan.warmUp());
        String deliveryPrefix = "bench-" + runId + "-warm-up-";
        JobLedger ledger = new JobLedger(deliveryPrefix);
        WebhookLoad load = new WebhookLoad(client, plan.template().target(plan.ingestUrl()),
                index -> request(deliveryPrefix + index), plan.requestTimeout(), ledger, plan.concurrency());
        say(String.format(Locale.ROOT, "warm-up: %d webhooks at %s/s, drained, not measured", schedule.count(),
                rate(schedule.ratePerSecond())));
        CpuMeter.Reading before = meter == null ? null : meter.read();
        try (JobEventsWatcher watcher = JobEventsWatcher.startAtEnd(plan.bootstrapServers(), plan.topics().jobEvents, ledger)) {
            sendAndDrain(schedule, load, ledger, watcher, "warm-up: ");
        } finally {
            phase.quiet();
        }
        say(progressLine(load, ledger, ledger.allAcceptedTerminal() ? "warm-up drained" : "warm-up drain timeout"));
        if (before != null) {
            CpuMeter.Reading after = meter.read();
            StringBuilder line = new StringBuilder("warm-up: JIT compiler threads used");
            after.jitTicksByPart().forEach((part, ticks) -> {
                Long from = before.jitTicksByPart().get(part);
                line.append(' ').append(part).append(' ')
                        .append(from == null || ticks < from ? "?" : Math.round(ClockTicks.toMillis(ticks - from)) + " ms");
            });
            say(line.toString());
        }
    }

    /**
     * Fires the schedule, waits for the answers, then until every accepted job is terminal (at most the drain
     * timeout, or until the watcher fails); the progress line names each phase, prefixed with {@code label}.
     */
    private void sendAndDrain(ArrivalSchedule schedule, WebhookLoad load, JobLedger ledger, JobEventsWatcher watcher,
                              String label) throws InterruptedException {
        phase.show(() -> progressLine(load, ledger, label + "sending"));
        new Pacer().run(schedule, System.nanoTime(), load::fire);
        phase.show(() -> progressLine(load, ledger, label + "awaiting answers"));
        load.awaitAnswers(plan.requestTimeout().plusSeconds(5));
        phase.show(() -> progressLine(load, ledger, label + "draining"));
        long deadline = System.nanoTime() + plan.drainTimeout().toNanos();
        while (!ledger.allAcceptedTerminal() && System.nanoTime() < deadline && watcher.failure() == null) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /** Locates the parts to measure, or null when there is nothing to measure or no {@code /proc}. */
    private CpuMeter cpuMeter() {
        if (plan.parts().isEmpty()) {
            return null;
        }
        if (!ProcessTable.available()) {
            say("cpu: no /proc on this system; CPU per process is not measured");
            return null;
        }
        List<SystemParts.Located> located = SystemParts.locate(plan.parts(), plan.dataDir());
        for (SystemParts.Located part : located) {
            say(String.format("cpu: %-12s %s", part.part(), part.found()
                    ? "pid " + part.roots().stream().map(r -> Long.toString(r.pid())).reduce((a, b) -> a + "+" + b).orElse("")
                    + " (" + part.how() + ")" : part.how().toUpperCase(Locale.ROOT)));
        }
        return new CpuMeter(located);
    }

    private static String idleLine(CpuMeter meter, CpuMeter.Reading from, CpuMeter.Reading to) {
        double seconds = (to.nanoTime() - from.nanoTime()) / 1e9;
        StringBuilder line = new StringBuilder();
        double total = 0;
        for (SystemParts.Located part : meter.parts()) {
            Long a = from.ticksByPart().get(part.part());
            Long b = to.ticksByPart().get(part.part());
            if (a == null || b == null) {
                line.append(part.part()).append(" ?  ");
                continue;
            }
            double percent = ClockTicks.toMillis(b - a) / (seconds * 10.0);
            total += percent;
            line.append(String.format(Locale.ROOT, "%s %.1f%%  ", part.part(), percent));
        }
        return String.format(Locale.ROOT, "%.1f%% of one core in all: %s", total, line.toString().trim());
    }

    private BenchReport report(Instant startedAt, String runId, int partitions, BaselineHop.Result baseline,
                               WebhookLoad.Counts http, JobLedger ledger, long eventsRead, long undecodable,
                               Throwable watchFailure, StatusCrossCheck.Result status, CpuCost cpu) {
        JobLedger.Outcomes outcomes = ledger.outcomes();
        LatencySummary e2e = ledger.endToEnd();
        int stages = ledger.typicalStageCount();
        BenchReport.Comparison comparison = baseline != null && !e2e.isEmpty() && stages > 0
                && !baseline.latency().isEmpty() ? BenchReport.Comparison.of(stages, e2e.p50Ms(), baseline.latency().p50Ms())
                : null;
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (outcomes.accepted() == 0) {
            problems.add("no webhook was accepted" + (http.firstError() == null ? "" : " (first error: " + http.firstError() + ")"));
        }
        if (outcomes.inFlight() > 0) {
            problems.add(outcomes.inFlight() + " accepted job(s) did not finish within the drain timeout of "
                    + plan.drainTimeout().toSeconds() + " s");
        }
        if (outcomes.failed() > 0) {
            problems.add(outcomes.failed() + " accepted job(s) FAILED");
        }
        if (outcomes.deadLettered() > 0) {
            problems.add(outcomes.deadLettered() + " accepted job(s) were DEAD_LETTERED");
        }
        if (status != null && status.count("COMPLETED") != outcomes.accepted()) {
            problems.add("the status service shows " + status.count("COMPLETED") + " of " + outcomes.accepted()
                    + " accepted jobs COMPLETED " + status.byState());
        }
        if (http.acceptedWithoutJobId() > 0) {
            problems.add(http.acceptedWithoutJobId() + " 2xx answer(s) carried no jobId, so those jobs cannot be followed");
        }
        if (watchFailure != null) {
            problems.add("reading " + plan.topics().jobEvents.name() + " failed: " + watchFailure);
        }
        if (http.duplicateJobIds() > 0) {
            warnings.add(http.duplicateJobIds() + " request(s) with distinct delivery ids got a job id already given out");
        }
        if (http.rejected() + http.transportErrors() > 0) {
            warnings.add((http.rejected() + http.transportErrors()) + " request(s) not accepted " + http.byStatus()
                    + (http.transportErrors() > 0 ? ", " + http.transportErrors() + " transport error(s)" : "")
                    + "; first: " + http.firstError());
        }
        if (outcomes.sequenceGaps() + outcomes.duplicateEvents() + outcomes.terminalAfterTerminal() > 0) {
            warnings.add("job-event stream irregularities: " + outcomes.sequenceGaps() + " missing seq, "
                    + outcomes.duplicateEvents() + " duplicate seq, " + outcomes.terminalAfterTerminal()
                    + " terminal event(s) after a terminal event");
        }
        if (outcomes.unacknowledgedRunJobs() > 0) {
            warnings.add(outcomes.unacknowledgedRunJobs() + " job(s) of this run started although their request got no 2xx"
                    + " (the client gave up or the answer was lost)");
        }
        if (undecodable > 0) {
            warnings.add(undecodable + " record(s) on the job-events topic were not JobEvent JSON");
        }
        if (status != null && status.disagreeing() > 0) {
            warnings.add(status.disagreeing() + " job(s) where the status service and the topic disagree");
        }
        double throughput = http.firstDueToLastAnswerSeconds() > 0 ? http.accepted() / http.firstDueToLastAnswerSeconds() : 0;
        BenchReport.Settings settings = new BenchReport.Settings(plan.ingestUrl(), plan.statusUrl(), plan.bootstrapServers(),
                plan.topics().jobEvents.name(), partitions, plan.template().connection(), plan.bodyLabel(),
                plan.template().body().length, plan.schedule().ratePerSecond(), plan.schedule().count(),
                plan.concurrency(), plan.drainTimeout().toMillis());
        return new BenchReport(startedAt, runId, settings, baseline, new BenchReport.Ingest(throughput, http),
                new BenchReport.EndToEnd(e2e, ledger.inPipeline(), stages),
                new BenchReport.Accounting(outcomes, plan.drainTimeout().toMillis(), eventsRead, undecodable),
                status, comparison, ledger.stageBreakdown(), cpu, problems.isEmpty(), List.copyOf(problems), List.copyOf(warnings));
    }

    private WebhookRequest request(String deliveryId) {
        Map<String, String> senderHeaders = plan.sample() == null ? Map.of()
                : plan.sample().senderHeaders(plan.template().eventType(), deliveryId);
        return plan.template().withDeliveryId(deliveryId, senderHeaders);
    }

    private static String progressLine(WebhookLoad load, JobLedger ledger, String phase) {
        JobLedger.Snapshot s = ledger.snapshot();
        return String.format("%-16s sent %d  accepted %d  completed %d  failed %d  in flight %d  not accepted %d",
                phase, load.sent(), s.accepted(), s.completed(), s.failed() + s.deadLettered(), s.inFlight(),
                load.failedRequests());
    }

    /** Fails fast when nothing listens, instead of timing every request of the run out. Any HTTP answer will do. */
    private static void requireReachable(HttpClient client, String what, String baseUrl) throws InterruptedException {
        try {
            client.send(HttpRequest.newBuilder(HttpClients.resolve(baseUrl, "/health")).timeout(Duration.ofSeconds(5))
                    .GET().build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new IllegalStateException(what + " is not reachable at " + baseUrl + " (" + e + "; is ./jobpipe up running?)");
        }
    }

    private static TopicDescription describe(Admin admin, String topic, String bootstrapServers) throws InterruptedException {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(20, TimeUnit.SECONDS).get(topic);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot find topic " + topic + " on " + bootstrapServers + ": " + e.getCause().getMessage()
                    + " (is jobpipe running? ./jobpipe up)", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not answer within 20 s (is jobpipe running? ./jobpipe up)", e);
        }
    }

    /** A rate as people write it: {@code 100}, {@code 2.50}. */
    static String rate(double perSecond) {
        return perSecond == Math.rint(perSecond) ? Long.toString((long) perSecond) : String.format(Locale.ROOT, "%.2f", perSecond);
    }

    private void say(String line) {
        log.say(line);
    }
}
