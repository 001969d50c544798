package io.jobpipe.worker.kafka;

import java.util.concurrent.CompletableFuture;
import java.util.Map;
import java.time.Instant;
import java.time.Duration;
import java.time.Clock;
import io.jobpipe.worker.run.AttemptWatches;
import io.jobpipe.worker.run.AttemptWatch;
import io.jobpipe.core.event.EventIds;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.core.event.StageResult;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.core.tracing.KafkaTraceHeaders;
import io.jobpipe.support.logging.LogContext;
import io.jobpipe.worker.run.StageExecutor;
import io.jobpipe.worker.agent.StageCall;
import io.jobpipe.worker.callback.CallbackUrls;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * Turns one consumed stage request into a pending acknowledgement, and never throws:
 * <ul>
 *   <li>readable request → run the agent → publish its result; ACCEPT once Kafka has it, RELEASE (redeliver) if not;</li>
 *   <li>unreadable bytes → copy to {@code jobpipe.poison}; ACCEPT once Kafka has it, REJECT if not,
 *       so a poison record never comes back to stall the share group.</li>
 * </ul>
 * Its lines, the agent's, and those of the record's acknowledgement carry {@code jobId}, {@code stage},
 * {@code attempt} and {@code traceId} (from the record's {@code traceparent}).
 */
public final class StageRecordHandler {
    private static final Logger LOG = LoggerFactory.getLogger(StageRecordHandler.class);

    private final Topics topics;
    private final StageExecutor executor;
    private final StageResultPublisher results;
    private final PoisonPublisher poison;
    private final WorkerStats stats;
    private final AttemptWatches watches;
    private final CallbackUrls callbacks;
    static final double DEFAULT_HEARTBEAT_FRACTION = 0.5;
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** An agent's own heartbeats go out at most this often; a chatty agent cannot flood the results topic. */
    static final long AGENT_HEARTBEAT_SPACING_NANOS = Duration.ofSeconds(1).toNanos();

    /** A handler whose agents heartbeat every half of their stage timeout and are interrupted at its end. */
    public StageRecordHandler(Topics topics, StageExecutor executor, StageResultPublisher results,
                              PoisonPublisher poison, WorkerStats stats) {
        this(topics, executor, results, poison, stats,
                new AttemptWatches(DEFAULT_HEARTBEAT_FRACTION, DEFAULT_TIMEOUT, Clock.systemUTC()));
    }

    public StageRecordHandler(Topics topics, StageExecutor executor, StageResultPublisher results,
                              PoisonPublisher poison, WorkerStats stats, AttemptWatches watches) {
        this(topics, executor, results, poison, stats, watches, CallbackUrls.NONE);
    }

    /** @param callbacks where each attempt's asynchronous agent posts its result later */
    public StageRecordHandler(Topics topics, StageExecutor executor, StageResultPublisher results,
                              PoisonPublisher poison, WorkerStats stats, AttemptWatches watches,
                              CallbackUrls callbacks) {
        this.watches = watches;
        this.callbacks = callbacks;
        this.topics = topics;
        this.executor = executor;
        this.results = results;
        this.poison = poison;
        this.stats = stats;
    }

    public PendingAck handle(ConsumerRecord<byte[], byte[]> record) {
        return handle(record, new CompletableFuture<>());
    }

    /**
     * Handles {@code record}; {@code settle} may be completed before this returns, by an agent that ran out of
     * time: the attempt was then reported timed out and the record can be acknowledged while the agent still runs.
     */
    public PendingAck handle(ConsumerRecord<byte[], byte[]> record, CompletableFuture<PendingAck> settle) {
        // The key is the jobId, so even an unreadable record's lines can be found by its job.
        try (LogContext ignored = LogContext.open().jobId(keyOf(record)).stage(topics.stageOf(record.topic()))
                .traceId(KafkaTraceHeaders.traceIdOf(KafkaTraceHeaders.traceparent(record.headers())))) {
            return handleInContext(record, settle);
        }
    }

    private PendingAck handleInContext(ConsumerRecord<byte[], byte[]> record, CompletableFuture<PendingAck> settle) {
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        int deliveries = record.deliveryCount().map(Short::intValue).orElse(1);
        if (deliveries > 1) {
            stats.redelivered();
            LOG.info("redelivery {} of {}", deliveries, where);
        }
        StageRequested request;
        try {
            request = topics.stage(stageOf(record)).valueSerde().deserializer().deserialize(record.topic(), record.value());
            if (request == null) {
                throw new SerializationException("record has no value");
            }
        } catch (RuntimeException e) {
            return poison(record, where, e);
        }
        try (LogContext ignored = LogContext.open().jobId(request.jobId()).stage(request.stage())
                .attempt(request.attempt())) {
            return run(record, request, where, settle);
        }
    }

    private PendingAck run(ConsumerRecord<byte[], byte[]> record, StageRequested request, String where,
                           CompletableFuture<PendingAck> settle) {
        try {
            long startedNanos = System.nanoTime();
            Instant deadline = watches.deadlineOf(request);
            WatchActions actions = new WatchActions(record, request, deadline, settle);
            AttemptWatch watch = watches.start(request, actions);
            StageExecutor.Execution execution;
            boolean inTime;
            try {
                execution = executor.execute(request, KafkaTraceHeaders.extract(record.headers()), deadline, actions);
            } finally {
                inTime = watch.finish();
            }
            long agentNanos = System.nanoTime() - startedNanos;
            StageResult result = execution.result();
            String description = result.getClass().getSimpleName() + " of job " + request.jobId() + " stage " + request.stage();
            if (!inTime) {
                // The attempt was reported timed out (and its record acknowledged) when its time ran out; the
                // orchestrator records this result as late and ignores it.
                LOG.info("stage {} attempt {}: the agent returned {} after its timeout; sending it as a late result",
                        request.stage(), request.attempt(), result.getClass().getSimpleName());
                return new PendingAck(record, results.publish(result, record.headers(), execution.span()),
                        AcknowledgeType.ACCEPT, AcknowledgeType.ACCEPT, description + " (late)", LogContext.current());
            }
            if (result instanceof StageResult.StageHeartbeat pending) {
                stats.attempted(stageOf(record), WorkerStats.Outcome.PENDING, agentNanos);
                LOG.info("stage {} attempt {}: {}", request.stage(), request.attempt(), pending.message());
            } else if (result instanceof StageResult.StageFailed failed) {
                stats.attempted(stageOf(record), failed.retryable()
                        ? WorkerStats.Outcome.FAILED_RETRYABLE : WorkerStats.Outcome.FAILED_PERMANENT, agentNanos);
                LOG.info("stage {} attempt {} failed: {} ({}retryable): {}", request.stage(), request.attempt(),
                        failed.errorType(), failed.retryable() ? "" : "not ", failed.message());
            } else {
                stats.attempted(stageOf(record), WorkerStats.Outcome.SUCCEEDED, agentNanos);
                LOG.info("stage {} attempt {} succeeded in {} ms", request.stage(), request.attempt(),
                        ((StageResult.StageSucceeded) result).durationMs());
            }
            try {
                return new PendingAck(record, results.publish(result, record.headers(), execution.span()),
                        AcknowledgeType.ACCEPT, AcknowledgeType.RELEASE, description, LogContext.current());
            } catch (RuntimeException e) {
                return PendingAck.failed(record, AcknowledgeType.RELEASE, description, e);
            }
        } catch (RuntimeException e) {
            // Only a bug in the worker itself gets here (the agent runner never throws): retry the record later.
            LOG.error("cannot handle {}; releasing it for redelivery", where, e);
            return PendingAck.failed(record, AcknowledgeType.RELEASE, "request " + where, e);
        }
    }

    /**
     * Heartbeats for a long-running agent (the worker's own, and those the agent sends with its progress), and the
     * timeout of one that ran out of time.
     */
    private final class WatchActions implements AttemptWatch.Actions, StageCall.Hooks {
        private final ConsumerRecord<byte[], byte[]> record;
        private final StageRequested request;
        private final Instant deadline;
        private final CompletableFuture<PendingAck> settle;
        private final Map<String, String> logFields = LogContext.current();
        /** Minted on first use, then the same for the whole attempt. */
        private volatile Optional<URI> callbackUrl;

        WatchActions(ConsumerRecord<byte[], byte[]> record, StageRequested request, Instant deadline,
                     CompletableFuture<PendingAck> settle) {
            this.record = record;
            this.request = request;
            this.deadline = deadline;
            this.settle = settle;
        }

        @Override
        public Optional<URI> callbackUrl() {
            Optional<URI> url = callbackUrl;
            if (url == null) {
                synchronized (this) {
                    if (callbackUrl == null) {
                        callbackUrl = callbacks.urlFor(request, deadline);
                    }
                    url = callbackUrl;
                }
            }
            return url;
        }

        /** When the agent's last own heartbeat went out, in System.nanoTime; 0 before the first. */
        private final AtomicLong lastAgentHeartbeat = new AtomicLong();
        /** The agent's call, whose log so far goes with a timeout this watch reports. */
        private volatile StageCall call;

        @Override
        public void callStarted(StageCall started) {
            this.call = started;
        }

        @Override
        public void heartbeat(Duration ranFor) {
            send("the agent is still running after " + ranFor.toSeconds() + " s (worker heartbeat)");
        }

        /** The agent's own heartbeat with its progress: at most one a second goes out, the others are dropped. */
        @Override
        public void heartbeat(String progress) {
            long now = System.nanoTime();
            long last = lastAgentHeartbeat.get();
            if (last != 0 && now - last < AGENT_HEARTBEAT_SPACING_NANOS || !lastAgentHeartbeat.compareAndSet(last, now)) {
                return;
            }
            send(progress.isBlank() ? "the agent is alive" : progress);
        }

        private void send(String message) {
            try (LogContext ignored = LogContext.of(logFields)) {
                stats.heartbeat(stageOf(record));
                results.publish(new StageResult.StageHeartbeat(EventIds.newEventId(), request.jobId(), Instant.now(),
                        request.stage(), request.attempt(), message), record.headers(), null);
            } catch (RuntimeException e) {
                LOG.warn("heartbeat of stage {} attempt {} not sent: {}", request.stage(), request.attempt(), e.toString());
            }
        }

        @Override
        public void timedOut(Duration timeout) {
            try (LogContext ignored = LogContext.of(logFields)) {
                stats.overdue(stageOf(record));
                String message = "the agent ran past the stage timeout of " + timeout.toSeconds()
                        + " s and was interrupted; a result it returns later is recorded and ignored";
                LOG.warn("stage {} attempt {}: {}", request.stage(), request.attempt(), message);
                Instant now = Instant.now();
                StageCall running = call;
                StageResult failed = new StageResult.StageFailed(EventIds.newEventId(), request.jobId(), now,
                        request.stage(), request.attempt(), now.minus(timeout), timeout.toMillis(),
                        AttemptWatch.AGENT_TIMEOUT, message, true, null, running == null ? null : running.logText());
                String description = "timeout of job " + request.jobId() + " stage " + request.stage();
                try {
                    settle.complete(new PendingAck(record, results.publish(failed, record.headers(), null),
                            AcknowledgeType.ACCEPT, AcknowledgeType.RELEASE, description, logFields));
                } catch (RuntimeException e) {
                    settle.complete(PendingAck.failed(record, AcknowledgeType.RELEASE, description, e));
                }
            }
        }
    }

    private PendingAck poison(ConsumerRecord<byte[], byte[]> record, String where, RuntimeException error) {
        stats.unreadable(stageOf(record));
        LOG.warn("unreadable record {} goes to {}: {}", where, poison.topic(), error.getMessage());
        String description = "poison copy of " + where;
        try {
            return new PendingAck(record, poison.publish(record, error),
                    AcknowledgeType.ACCEPT, AcknowledgeType.REJECT, description, LogContext.current());
        } catch (RuntimeException e) {
            return PendingAck.failed(record, AcknowledgeType.REJECT, description, e);
        }
    }

    private static String keyOf(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }

    /** The stage whose topic {@code record} was read from, or {@code unknown}: the {@code stage} label of metrics. */
    String stageOf(ConsumerRecord<byte[], byte[]> record) {
        String stage = topics.stageOf(record.topic());
        return stage == null ? "unknown" : stage;
    }
}
