package io.jobpipe.orchestrator.streams;

import io.jobpipe.core.kafka.PoisonHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A record on an input topic that is not a valid event, or whose processing threw, is copied, key, value and
 * headers as they were, to {@code jobpipe.poison} with {@link PoisonHeaders} saying where it came from and why,
 * counted, logged, and then skipped: one bad record never stops a partition and every job behind it, and nothing
 * it carried is lost from sight. Kafka Streams writes the copy in the same transaction that moves the input offset
 * past the record. An exception in a punctuation (no source record) is logged and the punctuation goes on.
 * <p>Configured through the Streams properties: {@value #POISON_TOPIC_CONFIG} (the topic name, namespaced in tests)
 * and {@value #COUNTER_CONFIG} (a {@code Consumer<String>} told the source topic of each poison record).
 */
public final class PoisonRecords implements DeserializationExceptionHandler, ProcessingExceptionHandler {
    public static final String POISON_TOPIC_CONFIG = "jobpipe.poison.topic";
    public static final String COUNTER_CONFIG = "jobpipe.poison.counter";
    static final String REFUSED_BY = "orchestrator-service";
    private static final Logger LOG = LoggerFactory.getLogger(PoisonRecords.class);

    private String poisonTopic;
    private Consumer<String> counter = topic -> { };

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs) {
        poisonTopic = Objects.requireNonNull((String) configs.get(POISON_TOPIC_CONFIG),
                POISON_TOPIC_CONFIG + " must name the poison topic");
        Object configured = configs.get(COUNTER_CONFIG);
        if (configured instanceof Consumer<?> consumer) {
            counter = (Consumer<String>) consumer;
        }
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context,
                                                                ConsumerRecord<byte[], byte[]> record,
                                                                Exception exception) {
        LOG.warn("unreadable record {}-{}@{} copied to {} and skipped: {}", context.topic(), context.partition(),
                context.offset(), poisonTopic, exception.getMessage());
        return DeserializationExceptionHandler.Response.resume(
                List.of(copy(context, record.key(), record.value(), record.headers(), exception)));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record,
                                                           Exception exception) {
        if (context.sourceRawValue() == null) {
            LOG.error("processing failed in {} outside any input record; going on", context.processorNodeId(), exception);
            return ProcessingExceptionHandler.Response.resume();
        }
        LOG.error("processing record {}-{}@{} failed; copied to {} and skipped", context.topic(), context.partition(),
                context.offset(), poisonTopic, exception);
        return ProcessingExceptionHandler.Response.resume(List.of(copy(context, context.sourceRawKey(),
                context.sourceRawValue(), context.headers(), exception)));
    }

    private ProducerRecord<byte[], byte[]> copy(ErrorHandlerContext context, byte[] key, byte[] value,
                                                Headers originalHeaders, Exception exception) {
        counter.accept(context.topic());
        RecordHeaders headers = new RecordHeaders(originalHeaders.toArray());
        PoisonHeaders.add(headers, context.topic(), context.partition(), context.offset(), exception, REFUSED_BY,
                Instant.now());
        return new ProducerRecord<>(poisonTopic, null, key, value, headers);
    }
}
