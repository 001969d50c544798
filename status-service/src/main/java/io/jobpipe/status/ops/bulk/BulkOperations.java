package io.jobpipe.status.ops.bulk;

import io.jobpipe.core.event.EventIds;
import io.jobpipe.core.event.JobStatus;
import io.jobpipe.core.event.OpsCommand;
import io.jobpipe.status.config.OpsProperties;
import io.jobpipe.status.ops.auth.OpsCaller;
import io.jobpipe.status.ops.command.CommandNotSentException;
import io.jobpipe.status.ops.command.CommandRules;
import io.jobpipe.status.ops.command.OpsCommandSender;
import io.jobpipe.status.ops.command.OpsIds;
import io.jobpipe.status.store.JobOpsRow;
import io.jobpipe.status.store.OperationRow;
import io.jobpipe.status.store.OperationStore;
import io.jobpipe.status.store.OpsQueries;
import io.github.bucket4j.Bucket;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs bulk replays and cancels: selects the jobs once, records the operation in {@code ops_operations}, then sends
 * one command per job in the background, paced by a token bucket to at most {@code ratePerSecond} (with up to
 * {@value #SENDS_IN_FLIGHT} awaiting Kafka's acknowledgement at a time) and, for a replay, with at most
 * {@code maxRunning} of its replayed jobs unfinished (so a large replay yields to live traffic), writing the
 * counters every {@code jobpipe.ops.progress-every} commands and at the end. Repeating an operation is harmless:
 * the orchestrator applies a replay id once per job and ignores a cancel of a finished job.
 */
@Singleton
public class BulkOperations {
    /** After this many sends in a row fail, Kafka is taken to be down and the operation stops. */
    static final int FAILURES_BEFORE_GIVING_UP = 3;
    /**
     * Commands a bulk operation has handed to Kafka and not yet seen acknowledged. Waiting a round trip for each (a
     * few ms on a busy broker) held 500/s asked down to about 250/s; more than this in flight only queues in the
     * producer.
     */
    static final int SENDS_IN_FLIGHT = 64;
    /**
     * A replayed job with no new event this long after its command leaves the replay's window (the orchestrator may
     * have forgotten it); one still running after it has moved stays in the window.
     */
    static final Duration UNANSWERED_AFTER = Duration.ofMinutes(2);
    /** How often a replay waiting for room among its running jobs reads their progress. */
    static final Duration WINDOW_POLL = Duration.ofMillis(100);
    /** The pace may catch up on this much lost time (a late wake-up of the sending thread), never more. */
    static final Duration CATCH_UP = Duration.ofMillis(50);
    /** A running operation writes its progress at least this often (and after every progress-every commands). */
    static final Duration PROGRESS_AT_LEAST_EVERY = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(BulkOperations.class);

    private final OpsQueries queries;
    private final OperationStore operations;
    private final OpsCommandSender sender;
    private final OpsProperties properties;
    private final Clock clock = Clock.systemUTC();
    private final ExecutorService runners = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "jobpipe-ops-bulk");
        thread.setDaemon(true);
        return thread;
    });

    public BulkOperations(OpsQueries queries, OperationStore operations, OpsCommandSender sender,
                          OpsProperties properties) {
        this.queries = queries;
        this.operations = operations;
        this.sender = sender;
        this.properties = properties;
    }

    /** The jobs the plan applies to now, newest first for a filter, in the given order for named jobs. */
    public List<JobOpsRow> select(BulkPlan plan) {
        if (plan.selection() != null) {
            return queries.select(plan.selection(), plan.limit(), null, null);
        }
        return plan.jobIds().stream().distinct().map(queries::job).flatMap(Optional::stream)
                .filter(row -> applies(plan.kind(), row)).limit(plan.limit()).toList();
    }

    private static boolean applies(BulkPlan.Kind kind, JobOpsRow row) {
        JobStatus state = JobStatus.valueOf(row.state());
        return kind == BulkPlan.Kind.REPLAY ? state == JobStatus.DEAD_LETTERED : CommandRules.CANCELLABLE.contains(state);
    }

    /** Records the operation and starts sending; returns it as first stored. */
    public OperationRow start(BulkPlan plan, List<JobOpsRow> jobs, OpsCaller caller) {
        OperationRow row = new OperationRow(OpsIds.newOperationId(), plan.kind().label(), plan.replayId(),
                caller.requestedBy(), plan.reason(), plan.filterText(), jobs.size(), 0, 0, "running", clock.instant(),
                null, null, clock.instant());
        operations.create(row);
        LOG.info("bulk {} {} by {} started: {} jobs at most {}/s, filter {}", row.kind(), row.id(),
                row.requestedBy(), jobs.size(), plan.ratePerSecond(), row.filter());
        runners.execute(() -> run(row, plan, jobs));
        return row;
    }

    private void run(OperationRow started, BulkPlan plan, List<JobOpsRow> jobs) {
        Bucket pace = Bucket.builder().addLimit(limit -> limit.capacity(catchUpTokens(plan.ratePerSecond()))
                .refillGreedy(plan.ratePerSecond(), Duration.ofSeconds(1))).build();
        SendTally tally = new SendTally(SENDS_IN_FLIGHT);
        ReplayWindow running = new ReplayWindow(UNANSWERED_AFTER);
        OperationRow row = started;
        String stop = null;
        try {
            for (JobOpsRow job : jobs) {
                if (plan.maxRunning() > 0) {
                    row = awaitRoom(row, running, plan.maxRunning(), tally);
                }
                pace.asBlocking().consume(1);
                tally.awaitRoom();
                if (tally.failuresInARow() >= FAILURES_BEFORE_GIVING_UP) {
                    stop = "stopped after " + tally.failuresInARow() + " sends in a row failed; " + tally.error();
                    break;
                }
                tally.track(sender.sendAsync(command(plan, row, job.jobId())));
                running.sent(job.jobId(), job.lastSeq(), clock.instant());
                // Every progress-every commands, and at least every few seconds: a running operation whose progress
                // stops being written has lost its replica (OperationDocument calls it abandoned).
                if (tally.handedOver() % Math.max(1, properties.progressEvery()) == 0
                        || !clock.instant().isBefore(row.updatedAt().plus(PROGRESS_AT_LEAST_EVERY))) {
                    row = progress(row, tally.sent(), tally.failed(), "running", null, null);
                }
            }
            tally.awaitAll(properties.sendTimeout().multipliedBy(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop = "interrupted (service shutting down) after " + tally.handedOver() + " of " + jobs.size();
        } catch (RuntimeException e) {
            LOG.error("bulk {} {} stopped", row.kind(), row.id(), e);
            stop = "stopped by an internal error after " + tally.handedOver() + " of " + jobs.size();
        }
        int sent = tally.sent();
        boolean done = sent == jobs.size();
        String error = done ? null : stop != null ? stop : tally.error() != null ? tally.error()
                : (jobs.size() - sent - tally.failed()) + " commands were not acknowledged in time";
        row = progress(row, sent, tally.failed(), done ? "done" : "failed", clock.instant(), error);
        LOG.info("bulk {} {} {}: {} sent, {} failed of {}", row.kind(), row.id(), row.state(), sent, tally.failed(),
                jobs.size());
        if (running.unanswered() > 0) {
            LOG.warn("bulk {} {}: {} replayed jobs showed no event within {} of their command (forgotten by the"
                    + " orchestrator, or it is down); the replay went on without waiting for them", row.kind(), row.id(),
                    running.unanswered(), UNANSWERED_AFTER);
        }
    }

    /**
     * Waits until fewer than {@code maxRunning} of the replay's jobs are unsettled, reading their progress from the
     * read model every {@link #WINDOW_POLL}; keeps writing the operation's progress meanwhile (a waiting operation is
     * not an abandoned one).
     */
    private OperationRow awaitRoom(OperationRow row, ReplayWindow running, int maxRunning, SendTally tally)
            throws InterruptedException {
        OperationRow current = row;
        while (running.unsettled() >= maxRunning) {
            running.settle(queries.progressOf(running.unsettledJobs()), clock.instant());
            if (running.unsettled() < maxRunning) {
                break;
            }
            if (!clock.instant().isBefore(current.updatedAt().plus(PROGRESS_AT_LEAST_EVERY))) {
                current = progress(current, tally.sent(), tally.failed(), "running", null, null);
            }
            Thread.sleep(WINDOW_POLL.toMillis());
        }
        return current;
    }

    /** The bucket's capacity: one token, or the commands of {@link #CATCH_UP} at the rate, whichever is more. */
    static long catchUpTokens(int ratePerSecond) {
        return Math.max(1, ratePerSecond * CATCH_UP.toMillis() / 1000);
    }

    private OperationRow progress(OperationRow row, int sent, int failed, String state, Instant finishedAt,
                                  String error) {
        OperationRow next = new OperationRow(row.id(), row.kind(), row.replayId(), row.requestedBy(), row.reason(),
                row.filter(), row.matched(), sent, failed, state, row.startedAt(), finishedAt, error, clock.instant());
        operations.update(next);
        return next;
    }

    private OpsCommand command(BulkPlan plan, OperationRow row, String jobId) {
        if (plan.kind() == BulkPlan.Kind.REPLAY) {
            return new OpsCommand.ReplayJob(EventIds.newEventId(), jobId, clock.instant(),
                    Objects.requireNonNull(plan.replayId()), row.requestedBy(), row.reason(), row.filter(),
                    plan.fromStage(), plan.inputPatch());
        }
        return new OpsCommand.CancelJob(EventIds.newEventId(), jobId, clock.instant(), row.requestedBy(), row.reason(),
                row.filter());
    }

    @PreDestroy
    void close() {
        runners.shutdownNow();
    }
}
