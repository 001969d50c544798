package io.jobpipe.runtime.cli;

import io.jobpipe.runtime.bench.ArrivalSchedule;
import io.jobpipe.runtime.chaos.ChaosReport;
import io.jobpipe.runtime.chaos.ChaosRun;
import io.jobpipe.runtime.client.WebhookRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code ./jobpipe chaos}: load, {@code kill -9} of one part mid-run, the supervisor's restart, then an audit. */
@Command(name = "chaos", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Crash-test a RUNNING jobpipe (./jobpipe up, which restarts a killed child) on this machine.",
                "Posts webhooks at a fixed rate; at --kill-at of the sending time sends SIGKILL to the part's process "
                        + "(found by its port, else by up's pid files) while a few SSE clients follow jobs accepted just "
                        + "before; waits for the part to listen again and for every accepted job to finish; then audits:",
                "  every accepted job is COMPLETED (none FAILED or DEAD_LETTERED), on the topic and on the status service;",
                "  jobpipe.job.events read read_committed: each job's seqs contiguous from 1, one terminal event, no "
                        + "(jobId, seq) twice with different content;",
                "  each SSE client, reconnecting with Last-Event-ID, saw every seq exactly once.",
                "A request refused while ingest or the broker is down (connection refused, 503) is not a job; it is counted apart.",
                "Exit: 0 every run passed; 1 a run failed the audit; 2 chaos could not run."})
final class ChaosCommand implements Callable<Integer> {
    static final List<String> PARTS = List.of("orchestrator", "worker", "ingest", "status", "broker");

    @Spec
    CommandSpec spec;

    @Option(names = "--part", required = true, description = "what to kill: orchestrator, worker, ingest, status, broker, or all (one run each)")
    String part;

    @Option(names = "--rate", defaultValue = "100", description = "webhooks per second (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--duration", defaultValue = "30s", converter = DurationConverter.class,
            description = "how long to send (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--kill-at", defaultValue = "0.5", description = "when to kill, as a fraction of the sending time (default: ${DEFAULT-VALUE})")
    double killAt;

    @Option(names = "--sse-clients", defaultValue = "4", description = "SSE clients following jobs through the kill (default: ${DEFAULT-VALUE})")
    int sseClients;

    @Option(names = "--drain-timeout", defaultValue = "180s", converter = DurationConverter.class,
            description = "after the last answer, how long accepted jobs may take to finish (default: ${DEFAULT-VALUE})")
    Duration drainTimeout;

    @Option(names = "--recover-timeout", defaultValue = "180s", converter = DurationConverter.class,
            description = "how long the killed part may take to listen on its port again (default: ${DEFAULT-VALUE})")
    Duration recoverTimeout;

    @Option(names = "--pause", defaultValue = "15s", converter = DurationConverter.class,
            description = "with --part all: quiet time between runs (default: ${DEFAULT-VALUE})")
    Duration pause;

    @Option(names = "--concurrency", defaultValue = "64", description = "requests in flight at most (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--request-timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "HTTP request timeout (default: ${DEFAULT-VALUE})")
    Duration requestTimeout;

    @Option(names = "--status-timeout", defaultValue = "30s", converter = DurationConverter.class,
            description = "how long the status service may lag behind the topic in the cross-check (default: ${DEFAULT-VALUE})")
    Duration statusTimeout;

    @Option(names = "--json", paramLabel = "FILE", description = "also write every report to FILE as JSON")
    Path json;

    @Mixin
    WebhookBodyOptions webhookBody;

    @Mixin
    SystemTargetOptions target;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> victims;
        List<ChaosRun.Plan> plans = new ArrayList<>();
        try {
            victims = part.equals("all") ? PARTS : List.of(part);
            if (!PARTS.containsAll(victims)) {
                throw new IllegalArgumentException("--part must be one of " + PARTS + " or all, got " + part);
            }
            for (String victim : victims) {
                plans.add(plan(victim));
            }
        } catch (IllegalArgumentException | IOException e) {
            err.println("chaos: " + e.getMessage());
            return 2;
        }
        List<ChaosReport> reports = new ArrayList<>();
        for (ChaosRun.Plan plan : plans) {
            out.printf("%n== chaos: kill -9 %s at %.0f/s ==%n", plan.victim(), plan.schedule().ratePerSecond());
            out.flush();
            try {
                ChaosReport report = new ChaosRun(plan, out).run();
                reports.add(report);
                out.print(ChaosReportPrinter.render(report));
                out.flush();
            } catch (IllegalStateException | org.apache.kafka.common.KafkaException e) {
                err.println("chaos could not run against " + plan.victim() + ": " + e.getMessage());
                return 2;
            }
            if (plan != plans.get(plans.size() - 1)) {
                TimeUnit.MILLISECONDS.sleep(pause.toMillis());
            }
        }
        if (reports.size() > 1) {
            out.print(ChaosReportPrinter.matrix(reports));
        }
        if (!FiguresFile.write(json, reports, out, err)) {
            return 2;
        }
        out.flush();
        return reports.stream().allMatch(ChaosReport::passed) ? 0 : 1;
    }

    private ChaosRun.Plan plan(String victim) throws IOException {
        target.requireLoopback();
        if (killAt <= 0 || killAt >= 1) {
            throw new IllegalArgumentException("--kill-at must be within (0, 1), got " + killAt);
        }
        if (sseClients < 0 || sseClients > 100) {
            throw new IllegalArgumentException("--sse-clients must be within 0..100");
        }
        if (duration.compareTo(Duration.ofMinutes(30)) > 0 || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("--duration must be within (0, 30m]");
        }
        WebhookBodyOptions.Payload payload = webhookBody.load();
        return new ChaosRun.Plan(target.ingestUrl, target.statusUrl, target.bootstrapServers, target.topics(),
                new WebhookRequest(webhookBody.connection, payload.bytes(), payload.eventType(), null, Map.of()),
                payload.sample(), ArrivalSchedule.forDuration(rate, duration), concurrency, requestTimeout, drainTimeout,
                recoverTimeout, statusTimeout, target.parts(), target.dataDirOrDefault(), victim, killAt, sseClients);
    }
}
