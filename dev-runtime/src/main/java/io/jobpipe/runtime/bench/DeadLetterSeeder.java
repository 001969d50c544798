package io.jobpipe.runtime.bench;

import io.jobpipe.runtime.client.WebhookRequest;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Makes dead letters to replay: posts webhooks that the dev pipeline {@code fails-on-demand} (connection
 * {@code demo}, event type {@code fail-on-demand}) fails at stage {@code act} (2 attempts), at a fixed rate, then waits
 * until the job-events topic shows every one of them DEAD_LETTERED. A replay with {@link #REPAIR_PATCH} passes.
 */
public final class DeadLetterSeeder {
    public static final String PIPELINE = "fails-on-demand";
    public static final String CONNECTION = "demo";
    public static final String EVENT_TYPE = "fail-on-demand";
    /** The JSON Merge Patch of the stage input that makes the agent pass. */
    public static final String REPAIR_PATCH = "{\"fail\":false}";
    private static final byte[] FAILING_BODY = "{\"fail\":true,\"seededBy\":\"jobpipe bench --bulk-replay\"}"
            .getBytes(StandardCharsets.UTF_8);

    /**
     * @param since  an instant before the first seeded job was dead-lettered
     * @param until  an instant after the last one was (exclusive); with {@code since}, a filter on
     *               {@code deadLetteredAt} that selects the seeded jobs
     */
    public record Result(int requested, long accepted, long deadLettered, long otherwiseEnded, long inFlight,
                         long notAccepted, String firstError, double seconds, Instant since, Instant until,
                         List<String> examples) {
        /** Every webhook accepted, and every job dead-lettered. */
        public boolean complete() {
            return accepted == requested && deadLettered == requested;
        }
    }

    private final HttpClient client;
    private final String ingestUrl;
    private final String deliveryPrefix;
    private final Duration requestTimeout;
    private final int concurrency;
    private final BenchLog log;

    /** @param deliveryPrefix the prefix of the ledger's delivery ids: request n is delivery {@code <prefix><n>} */
    public DeadLetterSeeder(HttpClient client, String ingestUrl, String deliveryPrefix, Duration requestTimeout,
                            int concurrency, BenchLog log) {
        this.client = client;
        this.ingestUrl = ingestUrl;
        this.deliveryPrefix = deliveryPrefix;
        this.requestTimeout = requestTimeout;
        this.concurrency = concurrency;
        this.log = log;
    }

    /**
     * Sends {@code schedule}, then waits at most {@code timeout} after the last answer for every accepted job to end.
     *
     * @param ledger  books of this seeding ({@link JobLedger} made with this seeder's delivery prefix)
     * @param watcher reads the job-events topic into {@code ledger}; started before this call
     */
    public Result seed(ArrivalSchedule schedule, JobLedger ledger, JobEventsWatcher watcher, Duration timeout)
            throws InterruptedException {
        WebhookRequest template = new WebhookRequest(CONNECTION, FAILING_BODY, EVENT_TYPE, null, Map.of());
        WebhookLoad load = new WebhookLoad(client, template.target(ingestUrl),
                index -> template.withDeliveryId(deliveryPrefix + index, Map.of()), requestTimeout, ledger, concurrency);
        log.say(String.format(Locale.ROOT, "seed: %d webhooks of pipeline %s (connection %s, event type %s, "
                        + "\"fail\": true) at %s/s; each is dead-lettered at stage act after 2 attempts",
                schedule.count(), PIPELINE, CONNECTION, EVENT_TYPE, Benchmark.rate(schedule.ratePerSecond())));
        Instant since = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        long started = System.nanoTime();
        try (ProgressTicker ticker = new ProgressTicker(log, "bench-seed-progress")) {
            ticker.show(() -> progressLine("seed: sending", load, ledger));
            new Pacer().run(schedule, System.nanoTime(), load::fire);
            ticker.show(() -> progressLine("seed: answers", load, ledger));
            load.awaitAnswers(requestTimeout.plusSeconds(5));
            ticker.show(() -> progressLine("seed: draining", load, ledger));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!ledger.allAcceptedTerminal() && System.nanoTime() < deadline && watcher.failure() == null) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
        }
        // deadLetteredAt is the orchestrator's clock (this machine's) when it wrote the event we have since read.
        Instant until = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.MILLIS);
        double seconds = (System.nanoTime() - started) / 1e9;
        log.say(progressLine(ledger.allAcceptedTerminal() ? "seed: done" : "seed: timeout", load, ledger));
        JobLedger.Outcomes o = ledger.outcomes();
        WebhookLoad.Counts http = load.counts();
        List<String> examples = new ArrayList<>(o.inFlightExamples());
        examples.addAll(o.failureExamples().stream().filter(e -> !e.contains(" DEAD_LETTERED ")).toList());
        if (watcher.failure() != null) {
            examples.add("reading the job-events topic failed: " + watcher.failure());
        }
        return new Result(schedule.count(), o.accepted(), o.deadLettered(), o.completed() + o.failed(), o.inFlight(),
                http.sent() - http.accepted(), http.firstError(), seconds, since, until, List.copyOf(examples));
    }

    private static String progressLine(String phase, WebhookLoad load, JobLedger ledger) {
        JobLedger.Snapshot s = ledger.snapshot();
        return String.format("%-16s sent %d  accepted %d  dead-lettered %d  other ends %d  in flight %d  not accepted %d",
                phase, load.sent(), s.accepted(), s.deadLettered(), s.completed() + s.failed(), s.inFlight(),
                load.failedRequests());
    }
}
