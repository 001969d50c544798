package io.jobpipe.runtime.cli;

import io.jobpipe.runtime.bench.IngestBench;
import io.jobpipe.runtime.bench.IngestBenchReport;
import io.jobpipe.runtime.client.LoopbackTargets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ./jobpipe bench ingest}: ingest's accepted throughput against a bare Micronaut endpoint, and p99 at half of it. */
@Command(name = "ingest", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Measure ingest's front door alone on a RUNNING ./jobpipe up: signed GitHub webhooks (connection "
                        + "'github', its dev secret), each with its own X-GitHub-Delivery so deduplication never answers.",
                "1. A bare Micronaut endpoint (http-server-netty, the services' version; one controller that reads the "
                        + "body and answers 202), started in its own JVM on a free loopback port.",
                "2. Maximum throughput of the bare endpoint and of ingest (same client, body and headers), each with a "
                        + "closed loop of --connections for --measure, alternating for --rounds rounds (so a change of "
                        + "the machine's load weighs on both); each maximum is over all its rounds.",
                "3. Ingest at half of its maximum, open loop for --open-loop; latency from each request's scheduled time.",
                "Prints both maxima, the ratio (target >= 40%%) and p99 at half max (target <= 50 ms), and every "
                        + "non-2xx answer. A 429 means ingest's rate limits capped the run: it is reported, never hidden; "
                        + "raise JOBPIPE_INGEST_CONNECTION_RATE_PER_SECOND and JOBPIPE_INGEST_CLIENT_RATE_PER_SECOND "
                        + "for ./jobpipe up.",
                "Ingested jobs run through the pipeline like any other: the orchestrator and worker share the CPU.",
                "Exit: 0 both targets met and nothing refused; 1 a target missed or a request refused; 2 could not run."})
final class IngestBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--ingest-url", defaultValue = "${env:JOBPIPE_INGEST_URL:-http://localhost:8080}",
            description = "ingest's base URL, loopback only (default: ${DEFAULT-VALUE})")
    String ingestUrl;

    @Option(names = "--connection", defaultValue = "github", description = "a connection with scheme github (default: ${DEFAULT-VALUE})")
    String connection;

    @Option(names = "--secret", defaultValue = "dev-github-secret", description = "its secret (default: the dev secret)")
    String secret;

    @Option(names = "--body-bytes", defaultValue = "1024", description = "JSON body size (default: ${DEFAULT-VALUE})")
    int bodyBytes;

    @Option(names = "--connections", defaultValue = "32", description = "requests in flight in the closed loops (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--warm-up", defaultValue = "10s", converter = DurationConverter.class,
            description = "closed-loop warm-up of each endpoint before the first round, not counted; 1s before the "
                    + "others (default: ${DEFAULT-VALUE})")
    Duration warmUp;

    @Option(names = "--rounds", defaultValue = "3",
            description = "closed-loop rounds, alternating bare endpoint and ingest, so the machine's load weighs on both "
                    + "(default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--measure", defaultValue = "5s", converter = DurationConverter.class,
            description = "closed-loop measured time of each endpoint in each round (default: ${DEFAULT-VALUE})")
    Duration measure;

    @Option(names = "--open-loop", defaultValue = "20s", converter = DurationConverter.class,
            description = "how long the open loop at half max sends (default: ${DEFAULT-VALUE})")
    Duration openLoop;

    @Option(names = "--open-loop-in-flight", defaultValue = "256",
            description = "most requests in flight in the open loop (default: ${DEFAULT-VALUE})")
    int openLoopInFlight;

    @Option(names = "--request-timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "HTTP request timeout (default: ${DEFAULT-VALUE})")
    Duration requestTimeout;

    @Option(names = "--baseline-java-opts", defaultValue = "-Xms64m -Xmx512m -XX:+UseSerialGC",
            description = "JVM options of the bare endpoint, as ./jobpipe up's services get by default (default: ${DEFAULT-VALUE})")
    String baselineJavaOpts;

    @Option(names = "--json", paramLabel = "FILE", description = "also write every figure to FILE as JSON")
    Path json;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        IngestBench.Plan plan;
        try {
            plan = plan();
        } catch (IllegalArgumentException e) {
            err.println("bench ingest: " + e.getMessage());
            return 2;
        }
        IngestBenchReport report;
        try {
            report = new IngestBench(plan, out).run();
        } catch (IllegalStateException e) {
            err.println("bench ingest could not run: " + e.getMessage());
            return 2;
        }
        return FiguresFile.finish(IngestBenchPrinter.render(report), report, report.passed(), json, out, err);
    }

    IngestBench.Plan plan() {
        LoopbackTargets.requireLoopbackUrl("ingest URL", ingestUrl);
        URI uri = URI.create(ingestUrl);
        for (var d : List.of(warmUp, measure, openLoop, requestTimeout)) {
            if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofMinutes(30)) > 0) {
                throw new IllegalArgumentException("durations must be within (0, 30m], got " + d);
            }
        }
        if (openLoopInFlight < 1 || openLoopInFlight > 4096) {
            throw new IllegalArgumentException("--open-loop-in-flight must be within 1..4096, got " + openLoopInFlight);
        }
        List<String> javaOptions = Arrays.stream(baselineJavaOpts.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
        return new IngestBench.Plan(uri, connection, secret, bodyBytes, connections, warmUp, rounds, measure, openLoop,
                openLoopInFlight, requestTimeout, javaOptions);
    }
}
