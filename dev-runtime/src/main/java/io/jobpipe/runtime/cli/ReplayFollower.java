package io.jobpipe.runtime.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipe.runtime.bench.BenchLog;
import io.jobpipe.runtime.bench.JobLedger;
import io.jobpipe.runtime.bench.ProgressTicker;
import io.jobpipe.runtime.bench.ReplayFigures;
import io.jobpipe.runtime.bench.StatusCrossCheck;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static io.jobpipe.runtime.cli.JsonFields.text;

/**
 * A bulk replay beside a benchmark phase. {@link #start} (the phase's load-start hook) asks the ops API to start it;
 * from then on the operation is read on {@code /ops/operations/{id}} every {@code opsPollInterval} and the replayed
 * jobs' ends (the seeded jobs' {@link JobLedger}, fed from the job-events topic) every 100 ms, and a progress line is
 * said once a second, until {@link #await} sees every job COMPLETED, or the operation end without being done.
 */
final class ReplayFollower implements AutoCloseable {
    private static final long LEDGER_POLL_MILLIS = 100;

    private final BulkOperation operation;
    private final String path;
    private final ObjectNode request;
    private final JobLedger seeded;
    private final long jobs;
    private final long dryRunMatched;
    private final Duration opsPollInterval;
    private final BenchLog log;
    private final ProgressTicker ticker;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "bench-replay-follower");
        thread.setDaemon(true);
        return thread;
    });
    private volatile BulkOperation.Started started;
    private volatile String startFailure;
    private volatile OperationStatus last;
    private volatile String lastPollFailure;
    private volatile long startNanos;
    private volatile long allCompletedNanos = -1;
    private long lastOpsPollNanos;

    /**
     * @param request       the bulk replay's body (filter, reason, replay id, patch, rate); {@code dryRun} is set here
     * @param seeded        the books of the seeded jobs, read from the job-events topic since before they were sent
     * @param jobs          how many were seeded: the replay is complete when that many are COMPLETED
     * @param dryRunMatched what the dry run of {@code request} matched, for the report
     */
    ReplayFollower(BulkOperation operation, String path, ObjectNode request, JobLedger seeded, long jobs,
                   long dryRunMatched, Duration opsPollInterval, BenchLog log) {
        this.operation = operation;
        this.path = path;
        this.request = request;
        this.seeded = seeded;
        this.jobs = jobs;
        this.dryRunMatched = dryRunMatched;
        this.opsPollInterval = opsPollInterval;
        this.log = log;
        this.ticker = new ProgressTicker(log, "bench-replay-progress");
    }

    /** Starts the operation; a refusal is kept for the report rather than thrown, so the phase's load still runs. */
    void start() {
        startNanos = System.nanoTime();
        try {
            started = operation.begin(path, request.deepCopy());
        } catch (OpsFailure e) {
            startFailure = e.getMessage();
            log.say("replay: could not start: " + e.getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            startFailure = "interrupted";
            return;
        }
        log.say(String.format("replay: operation %s (replay id %s) started: %d jobs at %d/s", started.operationId(),
                started.replayId(), started.matched(), request.path("ratePerSecond").asInt()));
        poller.scheduleWithFixedDelay(this::poll, 0, LEDGER_POLL_MILLIS, TimeUnit.MILLISECONDS);
        ticker.show(this::progressLine);
    }

    /**
     * Waits until every seeded job is COMPLETED, the operation ended without being done, or {@code timeout} ran out.
     *
     * @return true when every seeded job is COMPLETED
     */
    boolean await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (started != null && allCompletedNanos < 0 && System.nanoTime() < deadline) {
            OperationStatus status = last;
            if (status != null && status.ended() && !status.done()) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(LEDGER_POLL_MILLIS);
        }
        poller.shutdownNow();
        poller.awaitTermination(5, TimeUnit.SECONDS);
        ticker.quiet();
        if (started != null) {
            readOperation();
            log.say(progressLine() + (allCompletedNanos >= 0 ? "; all COMPLETED" : "; stopped waiting"));
        }
        return allCompletedNanos >= 0;
    }

    /** The replay's figures, with the status service's view of the seeded jobs ({@code statusCheck}, may be null). */
    ReplayFigures figures(StatusCrossCheck.Result statusCheck) {
        OperationStatus status = last;
        JobLedger.Outcomes outcomes = seeded.outcomes();
        List<String> examples = new ArrayList<>(outcomes.inFlightExamples());
        examples.addAll(outcomes.failureExamples());
        Double sendingSeconds = status == null || status.startedAt() == null || status.finishedAt() == null ? null
                : Duration.between(status.startedAt(), status.finishedAt()).toMillis() / 1000.0;
        String error = status == null ? lastPollFailure : status.error();
        return new ReplayFigures(startFailure, started == null ? null : started.operationId(),
                started == null ? text(request, "replayId") : started.replayId(), request.path("filter").toString(),
                text(request, "reason"), request.path("inputPatch").toString(), request.path("ratePerSecond").asInt(),
                dryRunMatched, started == null ? 0 : started.matched(), status == null ? 0 : status.sent(),
                status == null ? 0 : status.failed(), status == null ? null : status.state(), error, sendingSeconds, jobs,
                outcomes.completed(), outcomes.deadLettered(),
                allCompletedNanos < 0 ? null : (allCompletedNanos - startNanos) / 1e9, List.copyOf(examples), statusCheck);
    }

    private void poll() {
        long now = System.nanoTime();
        if (allCompletedNanos < 0 && seeded.snapshot().completed() >= jobs) {
            allCompletedNanos = now;
        }
        OperationStatus status = last;
        if (allCompletedNanos >= 0 && status != null && status.ended()) {
            ticker.quiet();
            return;
        }
        if ((status == null || !status.ended()) && now - lastOpsPollNanos >= opsPollInterval.toNanos()) {
            lastOpsPollNanos = now;
            readOperation();
        }
    }

    private void readOperation() {
        try {
            last = operation.status(started.operationPath());
            lastPollFailure = null;
        } catch (OpsFailure e) {
            lastPollFailure = e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String progressLine() {
        OperationStatus status = last;
        JobLedger.Snapshot s = seeded.snapshot();
        String operationPart = status == null ? "operation not read yet"
                : String.format("operation %s, sent %d/%d, failed %d", status.state(), status.sent(), status.matched(),
                status.failed());
        return String.format("replay: %s; replayed jobs COMPLETED %d/%d, in flight %d, dead-lettered %d%s",
                operationPart, s.completed(), jobs, s.inFlight(), s.deadLettered(),
                lastPollFailure == null ? "" : " (last read failed: " + lastPollFailure + ")");
    }

    @Override
    public void close() {
        poller.shutdownNow();
        ticker.close();
    }
}
