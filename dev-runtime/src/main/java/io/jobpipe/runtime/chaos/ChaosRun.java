package io.jobpipe.runtime.chaos;

import io.jobpipe.core.kafka.Topics;
import io.jobpipe.runtime.bench.ArrivalSchedule;
import io.jobpipe.runtime.bench.JobEventsWatcher;
import io.jobpipe.runtime.bench.JobLedger;
import io.jobpipe.runtime.bench.Pacer;
import io.jobpipe.runtime.bench.StatusCrossCheck;
import io.jobpipe.runtime.bench.SystemParts;
import io.jobpipe.runtime.bench.WebhookLoad;
import io.jobpipe.runtime.client.HttpClients;
import io.jobpipe.runtime.client.WebhookRequest;
import io.jobpipe.runtime.client.WebhookSample;
import io.jobpipe.runtime.procfs.ListeningPorts;
import io.jobpipe.runtime.procfs.ProcessTable;
import org.apache.kafka.common.TopicPartition;

import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One chaos run against a running, supervised jobpipe ({@code ./jobpipe up}): webhooks at a fixed rate; at
 * {@code killAt} of the sending time the part's process gets {@code SIGKILL} (a few SSE clients start following
 * the jobs accepted just before); the supervisor is expected to restart it; after the drain the job events are
 * read again {@code read_committed} and audited (see {@link EventStreamAudit}), the status service is asked for
 * every accepted job, and the SSE clients must have seen every seq exactly once. A refused request (ingest down,
 * or 503 while the broker is down) is not a job and is counted apart.
 */
public final class ChaosRun {
    /**
     * @param victim   the part to kill: one of {@code parts}
     * @param killAt   when to kill, as a fraction of the sending time
     * @param drainTimeout how long after the last answer the accepted jobs may take to finish
     * @param recoverTimeout how long the killed part may take to listen on its port again
     */
    public record Plan(String ingestUrl, String statusUrl, String bootstrapServers, Topics topics,
                       WebhookRequest template, WebhookSample sample, ArrivalSchedule schedule, int concurrency,
                       Duration requestTimeout, Duration drainTimeout, Duration recoverTimeout, Duration statusTimeout,
                       List<SystemParts.Address> parts, Path dataDir, String victim, double killAt, int sseClients) {
    }

    private final Plan plan;
    private final PrintWriter out;
    private final long startNanos = System.nanoTime();
    private volatile long loadStartNanos;

    public ChaosRun(Plan plan, PrintWriter out) {
        this.plan = plan;
        this.out = out;
    }

    public ChaosReport run() throws InterruptedException {
        SystemParts.Address address = plan.parts().stream().filter(a -> a.part().equals(plan.victim())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown part " + plan.victim()));
        SystemParts.Located victim = SystemParts.locate(address, plan.dataDir(), ProcessTable.snapshot());
        if (!victim.found()) {
            throw new IllegalStateException(plan.victim() + " " + victim.how() + " (is ./jobpipe up running on these ports?)");
        }
        long victimPid = victim.mainPid();
        say(String.format(Locale.ROOT, "chaos: %s is pid %d (%s); %d webhooks at %s/s, SIGKILL at %.0f%% of the sending time",
                plan.victim(), victimPid, victim.how(), plan.schedule().count(), rate(plan.schedule().ratePerSecond()),
                plan.killAt() * 100));

        String runId = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(Instant.now().atOffset(ZoneOffset.UTC))
                + "-" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        String prefix = "chaos-" + plan.victim() + "-" + runId + "-";
        HttpClient client = HttpClients.newClient();
        Map<TopicPartition, Long> start = JobEventsRange.markEnd(plan.bootstrapServers(), plan.topics().jobEvents.name());
        JobLedger ledger = new JobLedger(prefix);
        WebhookLoad load = new WebhookLoad(client, plan.template().target(plan.ingestUrl()),
                index -> request(prefix + index), plan.requestTimeout(), ledger, plan.concurrency());
        List<SseFollower> followers = new ArrayList<>();
        List<Thread> followerThreads = new ArrayList<>();
        AtomicLong killedAt = new AtomicLong(-1);
        AtomicLong recoveredAt = new AtomicLong(-1);
        AtomicLong newPid = new AtomicLong(-1);
        AtomicReference<String> phase = new AtomicReference<>("sending");
        Thread ticker = daemon("chaos-progress", () -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    TimeUnit.SECONDS.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
                JobLedger.Snapshot s = ledger.snapshot();
                say(String.format("%-16s sent %d  accepted %d  completed %d  failed %d  in flight %d  refused %d%s",
                        phase.get(), load.sent(), s.accepted(), s.completed(), s.failed() + s.deadLettered(), s.inFlight(),
                        load.failedRequests(), killedAt.get() > 0 && recoveredAt.get() < 0 ? "  (" + plan.victim() + " down)" : ""));
            }
        });
        Duration drainSpent;
        Thread killer;
        try (JobEventsWatcher watcher = JobEventsWatcher.startAtEnd(plan.bootstrapServers(), plan.topics().jobEvents, ledger)) {
            long loadStart = System.nanoTime();
            loadStartNanos = loadStart;
            long killNanos = loadStart + (long) (plan.schedule().span().toNanos() * plan.killAt());
            killer = daemon("chaos-kill", () -> killThenAwaitRestart(address, victimPid, killNanos, ledger, client,
                    followers, followerThreads, killedAt, recoveredAt, newPid));
            killer.start();
            ticker.start();
            new Pacer().run(plan.schedule(), loadStart, load::fire);
            phase.set("awaiting answers");
            load.awaitAnswers(plan.requestTimeout().plusSeconds(5));
            phase.set("draining");
            long drainStart = System.nanoTime();
            long deadline = drainStart + plan.drainTimeout().toNanos();
            while (System.nanoTime() < deadline && (killer.isAlive() || !ledger.allAcceptedTerminal())) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
            drainSpent = Duration.ofNanos(System.nanoTime() - drainStart);
            phase.set(ledger.allAcceptedTerminal() ? "drained" : "drain timeout");
        } finally {
            ticker.interrupt();
        }
        killer.join(TimeUnit.SECONDS.toMillis(5));
        for (Thread thread : followerThreads) {
            thread.join(TimeUnit.SECONDS.toMillis(20));
        }
        followers.forEach(SseFollower::stop);
        say(phase.get() + "; auditing " + plan.topics().jobEvents.name() + " (read_committed) and the status service");

        List<String> runJobs = ledger.runJobIds();
        EventStreamAudit audit = new EventStreamAudit();
        JobEventsRange.readFrom(plan.bootstrapServers(), start, audit::record);
        EventStreamAudit.Findings findings = audit.findings(runJobs);
        List<String> accepted = ledger.acceptedJobIds();
        StatusCrossCheck.Result status = accepted.isEmpty() ? null : new StatusCrossCheck(client, plan.statusUrl(), 16)
                .run(accepted, ledger::terminalStateOf, plan.statusTimeout());
        List<SseFollower.Result> sse = followers.stream().map(SseFollower::result).toList();
        return report(victimPid, killedAt.get() < 0 ? -1 : (killedAt.get() - loadStartNanos) / 1e9,
                newPid.get(), killedAt.get() < 0 || recoveredAt.get() < 0 ? -1 : (recoveredAt.get() - killedAt.get()) / 1_000_000,
                load.counts(), ledger, findings, runJobs.size(), status, sse, drainSpent);
    }

    private void killThenAwaitRestart(SystemParts.Address address, long pid, long killNanos, JobLedger ledger,
                                      HttpClient client, List<SseFollower> followers, List<Thread> followerThreads,
                                      AtomicLong killedAt, AtomicLong recoveredAt, AtomicLong newPid) {
        try {
            long wait = killNanos - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            List<String> recent = ledger.acceptedJobIds();
            for (String jobId : recent.subList(Math.max(0, recent.size() - plan.sseClients()), recent.size())) {
                SseFollower follower = new SseFollower(client, plan.statusUrl(), jobId,
                        plan.recoverTimeout().plus(plan.drainTimeout()));
                Thread thread = daemon("chaos-sse-" + jobId, follower);
                synchronized (followers) {
                    followers.add(follower);
                    followerThreads.add(thread);
                }
                thread.start();
            }
            // Let the followers connect and read the first events, so the kill cuts live streams.
            TimeUnit.MILLISECONDS.sleep(300);
            ProcessHandle process = ProcessHandle.of(pid).orElse(null);
            if (process == null || !process.isAlive()) {
                say("chaos: " + plan.victim() + " pid " + pid + " is already gone");
                return;
            }
            process.destroyForcibly();
            killedAt.set(System.nanoTime());
            say(String.format("chaos: kill -9 %s (pid %d); following %d job(s) over SSE", plan.victim(), pid, followers.size()));
            long deadline = System.nanoTime() + plan.recoverTimeout().toNanos();
            while (System.nanoTime() < deadline) {
                OptionalLong listener = ListeningPorts.pidListeningOn(address.port());
                if (listener.isPresent() && listener.getAsLong() != pid) {
                    recoveredAt.set(System.nanoTime());
                    newPid.set(listener.getAsLong());
                    say(String.format(Locale.ROOT, "chaos: %s is back: pid %d listens on port %d, %.1f s after the kill",
                            plan.victim(), listener.getAsLong(), address.port(), (recoveredAt.get() - killedAt.get()) / 1e9));
                    return;
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
            say("chaos: " + plan.victim() + " did not come back within " + plan.recoverTimeout().toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ChaosReport report(long victimPid, double killedAtSeconds, long restartedPid, long recoveredAfterMs,
                               WebhookLoad.Counts http, JobLedger ledger, EventStreamAudit.Findings audit, long runJobs,
                               StatusCrossCheck.Result status, List<SseFollower.Result> sse, Duration drain) {
        JobLedger.Outcomes o = ledger.outcomes();
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (killedAtSeconds < 0) {
            problems.add(plan.victim() + " was not killed (its process was gone before the kill)");
        } else if (restartedPid < 0) {
            problems.add(plan.victim() + " did not come back within " + plan.recoverTimeout().toSeconds()
                    + " s (does ./jobpipe up supervise it?)");
        }
        if (o.accepted() == 0) {
            problems.add("no webhook was accepted" + (http.firstError() == null ? "" : " (first error: " + http.firstError() + ")"));
        }
        if (o.inFlight() > 0) {
            problems.add(o.inFlight() + " accepted job(s) did not finish within the drain timeout of "
                    + plan.drainTimeout().toSeconds() + " s " + o.inFlightExamples());
        }
        if (o.failed() > 0) {
            problems.add(o.failed() + " accepted job(s) FAILED " + o.failureExamples());
        }
        if (o.deadLettered() > 0) {
            problems.add(o.deadLettered() + " accepted job(s) were DEAD_LETTERED " + o.failureExamples());
        }
        if (!audit.clean()) {
            problems.add(String.format("job events: %d job(s) with a seq gap, %d (jobId, seq) written twice with different content, "
                            + "%d job(s) with more than one terminal event, %d job(s) with no event %s",
                    audit.jobsWithGaps(), audit.conflictingDuplicates(), audit.extraTerminals(), audit.missingJobs(), audit.examples()));
        }
        long notCompletedOnTopic = audit.jobs() - audit.count("JobCompleted");
        if (notCompletedOnTopic > 0) {
            problems.add(notCompletedOnTopic + " job(s) of the run do not end with JobCompleted on the topic " + audit.outcomes());
        }
        if (status != null && status.count("COMPLETED") != o.accepted()) {
            problems.add("the status service shows " + status.count("COMPLETED") + " of " + o.accepted()
                    + " accepted jobs COMPLETED " + status.byState() + " " + status.examples());
        }
        for (SseFollower.Result follower : sse) {
            String wrong = follower.check();
            if (!wrong.isEmpty()) {
                problems.add("SSE: " + wrong);
            }
        }
        if (audit.identicalDuplicates() > 0) {
            warnings.add(audit.identicalDuplicates() + " job event(s) written twice with identical content");
        }
        if (o.unacknowledgedRunJobs() > 0) {
            warnings.add(o.unacknowledgedRunJobs() + " job(s) ran although their request got no 2xx (the answer was lost in the crash); audited too");
        }
        return new ChaosReport(plan.victim(), victimPid, killedAtSeconds, restartedPid, recoveredAfterMs, http, o, audit,
                runJobs, status, sse, ledger.endToEnd(), drain.toMillis() / 1000.0, List.copyOf(problems), List.copyOf(warnings));
    }

    private WebhookRequest request(String deliveryId) {
        Map<String, String> senderHeaders = plan.sample() == null ? Map.of()
                : plan.sample().senderHeaders(plan.template().eventType(), deliveryId);
        return plan.template().withDeliveryId(deliveryId, senderHeaders);
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    private static String rate(double perSecond) {
        return perSecond == Math.rint(perSecond) ? Long.toString((long) perSecond) : String.format(Locale.ROOT, "%.2f", perSecond);
    }

    private void say(String line) {
        synchronized (out) {
            out.printf("[%3ds] %s%n", (System.nanoTime() - startNanos) / 1_000_000_000L, line);
            out.flush();
        }
    }
}
