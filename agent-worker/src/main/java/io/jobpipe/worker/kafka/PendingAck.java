package io.jobpipe.worker.kafka;

import io.jobpipe.support.logging.LogContext;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A consumed record whose fate waits on a produce: once Kafka acknowledges the send, the record is
 * acknowledged {@code onSuccess}; if the send fails or times out, {@code onFailure}. {@code logFields} are the
 * record's log fields ({@link LogContext#current()} while it was handled), for the lines written while awaiting it.
 */
record PendingAck(ConsumerRecord<byte[], byte[]> record, Future<RecordMetadata> send, AcknowledgeType onSuccess,
                  AcknowledgeType onFailure, String description, Map<String, String> logFields) {
    private static final Logger LOG = LoggerFactory.getLogger(PendingAck.class);

    static PendingAck failed(ConsumerRecord<byte[], byte[]> record, AcknowledgeType onFailure, String description,
                             Throwable error) {
        return new PendingAck(record, CompletableFuture.failedFuture(error), AcknowledgeType.ACCEPT, onFailure, description,
                LogContext.current());
    }

    AcknowledgeType await(Duration timeout) {
        try (LogContext ignored = LogContext.of(logFields)) {
            return awaitSend(timeout);
        }
    }

    private AcknowledgeType awaitSend(Duration timeout) {
        try {
            send.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return onSuccess;
        } catch (ExecutionException e) {
            LOG.warn("{} not written to Kafka ({}); acknowledging {} as {}", description, e.getCause(),
                    where(), onFailure);
        } catch (TimeoutException e) {
            LOG.warn("{} not acknowledged by Kafka within {}; acknowledging {} as {}", description, timeout,
                    where(), onFailure);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return AcknowledgeType.RELEASE;
        }
        return onFailure;
    }

    String where() {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
