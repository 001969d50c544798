package io.jobpipe.worker.kafka;

import io.jobpipe.core.event.StageRequested;
import io.jobpipe.core.event.StageResult;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.core.tracing.KafkaTraceHeaders;
import io.jobpipe.support.logging.LogContext;
import io.jobpipe.worker.run.StageExecutor;
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

    public StageRecordHandler(Topics topics, StageExecutor executor, StageResultPublisher results,
                              PoisonPublisher poison, WorkerStats stats) {
        this.topics = topics;
        this.executor = executor;
        this.results = results;
        this.poison = poison;
        this.stats = stats;
    }

    public PendingAck handle(ConsumerRecord<byte[], byte[]> record) {
        // The key is the jobId, so even an unreadable record's lines can be found by its job.
        try (LogContext ignored = LogContext.open().jobId(keyOf(record)).stage(topics.stageOf(record.topic()))
                .traceId(KafkaTraceHeaders.traceIdOf(KafkaTraceHeaders.traceparent(record.headers())))) {
            return handleInContext(record);
        }
    }

    private PendingAck handleInContext(ConsumerRecord<byte[], byte[]> record) {
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
            return run(record, request, where);
        }
    }

    private PendingAck run(ConsumerRecord<byte[], byte[]> record, StageRequested request, String where) {
        try {
            long startedNanos = System.nanoTime();
            StageExecutor.Execution execution = executor.execute(request, KafkaTraceHeaders.extract(record.headers()));
            long agentNanos = System.nanoTime() - startedNanos;
            StageResult result = execution.result();
            if (result instanceof StageResult.StageFailed failed) {
                stats.attempted(stageOf(record), failed.retryable()
                        ? WorkerStats.Outcome.FAILED_RETRYABLE : WorkerStats.Outcome.FAILED_PERMANENT, agentNanos);
                LOG.info("stage {} attempt {} failed: {} ({}retryable): {}", request.stage(), request.attempt(),
                        failed.errorType(), failed.retryable() ? "" : "not ", failed.message());
            } else {
                stats.attempted(stageOf(record), WorkerStats.Outcome.SUCCEEDED, agentNanos);
                LOG.info("stage {} attempt {} succeeded in {} ms", request.stage(), request.attempt(),
                        ((StageResult.StageSucceeded) result).durationMs());
            }
            String description = result.getClass().getSimpleName() + " of job " + request.jobId() + " stage " + request.stage();
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

    private String stageOf(ConsumerRecord<byte[], byte[]> record) {
        String stage = topics.stageOf(record.topic());
        return stage == null ? "unknown" : stage;
    }
}
