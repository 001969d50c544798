package io.jobpipe.runtime.bench;

import io.jobpipe.runtime.client.WebhookSigning;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.LongFunction;

/**
 * {@code ./jobpipe bench ingest}: ingest's front door alone against a bare Micronaut endpoint, in one run, with the
 * same client, body and headers. Signed GitHub webhooks of {@code bodyBytes} JSON, each with its own
 * {@code X-GitHub-Delivery} so deduplication never answers from memory.
 * <ol>
 *   <li>the bare endpoint (own JVM) and ingest at maximum throughput, each a closed loop of {@code connections},
 *   alternating for {@code rounds} rounds, so a change of the machine's load during the run weighs on both;</li>
 *   <li>ingest at half of that rate, open loop, latency from each request's scheduled time.</li>
 * </ol>
 */
public final class IngestBench {
    /** Before every round but the first: enough to open the connections again. */
    static final Duration ROUND_WARM_UP = Duration.ofSeconds(1);
    /**
     * @param ingestWebhooks   ingest's base URL
     * @param connection       the connection to post to (scheme github)
     * @param secret           its secret
     * @param bodyBytes        size of each JSON body
     * @param connections      requests in flight in the closed loops
     * @param warmUp           closed-loop time before measuring, for each endpoint
     * @param rounds           closed-loop rounds, alternating bare endpoint and ingest
     * @param measure          closed-loop measured time of each endpoint in each round
     * @param openLoop         how long the open loop at half rate sends
     * @param openLoopInFlight most requests in flight in the open loop
     * @param requestTimeout   per request
     * @param baselineJavaOptions JVM options of the bare endpoint's JVM
     */
    public record Plan(URI ingestWebhooks, String connection, String secret, int bodyBytes, int connections,
                       Duration warmUp, int rounds, Duration measure, Duration openLoop, int openLoopInFlight,
                       Duration requestTimeout, List<String> baselineJavaOptions) {
        public Plan {
            if (bodyBytes < 128 || bodyBytes > 1_048_576) {
                throw new IllegalArgumentException("--body-bytes must be within 128..1048576, got " + bodyBytes);
            }
            if (connections < 1 || connections > 1024) {
                throw new IllegalArgumentException("--connections must be within 1..1024, got " + connections);
            }
            if (rounds < 1 || rounds > 20) {
                throw new IllegalArgumentException("--rounds must be within 1..20, got " + rounds);
            }
            baselineJavaOptions = List.copyOf(baselineJavaOptions);
        }
    }

    private final Plan plan;
    private final PrintWriter out;
    private final byte[] body;
    private final WebhookSigning signing;

    public IngestBench(Plan plan, PrintWriter out) {
        this.plan = plan;
        this.out = out;
        this.body = jsonBody(plan.bodyBytes());
        this.signing = WebhookSigning.of("github", plan.secret());
    }

    public IngestBenchReport run() throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        URI ingest = plan.ingestWebhooks().resolve("/webhooks/" + plan.connection());
        ClosedLoop ingestLoop = new ClosedLoop(client, requests(ingest), plan.connections());
        Answers baselineAnswers = new Answers();
        Answers ingestAnswers = new Answers();
        List<Double> baselineRounds = new ArrayList<>();
        List<Double> ingestRounds = new ArrayList<>();
        progress("starting the bare Micronaut endpoint (own JVM: %s)", String.join(" ", plan.baselineJavaOptions()));
        try (BareEndpointProcess bare = BareEndpointProcess.start(plan.baselineJavaOptions(), Duration.ofSeconds(60))) {
            ClosedLoop bareLoop = new ClosedLoop(client, requests(bare.webhookUri(plan.connection())), plan.connections());
            progress("maximum throughput: %d rounds of bare endpoint (pid %d) then ingest %s, closed loops of %d, "
                    + "%s measured each; warm-up %s before the first, %s before the others",
                    plan.rounds(), bare.pid(), ingest, plan.connections(), plan.measure(), plan.warmUp(), ROUND_WARM_UP);
            for (int round = 1; round <= plan.rounds(); round++) {
                Duration warmUp = round == 1 ? plan.warmUp() : ROUND_WARM_UP;
                baselineRounds.add(bareLoop.run(warmUp, plan.measure(), baselineAnswers));
                ingestRounds.add(ingestLoop.run(warmUp, plan.measure(), ingestAnswers));
                progress("  round %d: bare %.0f/s, ingest %.0f/s", round, baselineRounds.get(round - 1),
                        ingestRounds.get(round - 1));
            }
        }
        LoadResult baseline = baselineAnswers.result();
        LoadResult max = ingestAnswers.result();
        progress("  bare %.0f/s, ingest %.0f/s accepted over all rounds; refused or failed: bare %d, ingest %d",
                baseline.acceptedPerSecond(), max.acceptedPerSecond(), baseline.failed(), max.failed());
        double half = Math.min(ArrivalSchedule.MAX_RATE, Math.max(1, max.acceptedPerSecond() / 2));
        progress("latency: ingest at %.0f/s (half of its maximum), open loop for %s", half, plan.openLoop());
        LoadResult atHalf = new OpenLoop(client, requests(ingest), plan.openLoopInFlight())
                .run(ArrivalSchedule.forDuration(half, plan.openLoop()), plan.requestTimeout().plusSeconds(30));
        return new IngestBenchReport(body.length, plan.connections(), baselineRounds, ingestRounds, baseline, max, half, atHalf);
    }

    private LongFunction<HttpRequest> requests(URI target) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        return sequence -> {
            HttpRequest.Builder builder = HttpRequest.newBuilder(target).timeout(plan.requestTimeout())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            signing.headers(body, "bench-" + run + "-" + sequence, "push", System.currentTimeMillis() / 1000)
                    .forEach(builder::header);
            return builder.build();
        };
    }

    /** A JSON object of exactly {@code bytes} UTF-8 bytes, shaped like a small GitHub push. */
    static byte[] jsonBody(int bytes) {
        String head = "{\"ref\":\"refs/heads/main\",\"repository\":{\"full_name\":\"jobpipe/bench\"},\"padding\":\"";
        String tail = "\"}";
        int pad = bytes - head.length() - tail.length();
        if (pad < 0) {
            throw new IllegalArgumentException("a body needs at least " + (head.length() + tail.length()) + " bytes");
        }
        return (head + "x".repeat(pad) + tail).getBytes(StandardCharsets.UTF_8);
    }

    private void progress(String format, Object... args) {
        out.println(String.format(Locale.ROOT, format, args));
        out.flush();
    }
}
