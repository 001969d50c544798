package io.jobpipe.status.consumer;

import io.jobpipe.core.kafka.PoisonHeaders;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.support.kafka.KafkaClientConfigs;
import io.jobpipe.support.kafka.KafkaClientDefaults;
import io.jobpipe.support.kafka.ProducerTimeouts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Copies a job event the projection cannot read to {@code jobpipe.poison}, as it was, with {@link PoisonHeaders},
 * and counts it ({@code jobpipe_poison_records_total{topic}}), before its offset is committed: the record is skipped,
 * never lost from sight. A copy Kafka does not take in time fails the batch, which is then retried, so a copy may
 * be written twice but never not at all.
 */
@Singleton
public class PoisonCopies implements JobEventDecoder.Unreadable {
    static final String REFUSED_BY = "status-service";
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final MeterRegistry registry;
    private final Clock clock = Clock.systemUTC();

    public PoisonCopies(KafkaClientConfigs configs, Topics topics, MeterRegistry registry) {
        this.topic = topics.poison;
        this.registry = registry;
        ProducerTimeouts timeouts = new ProducerTimeouts(Duration.ZERO, SEND_TIMEOUT.dividedBy(2),
                SEND_TIMEOUT.dividedBy(2), SEND_TIMEOUT);
        this.producer = new KafkaProducer<>(configs.producer(topics.namespace() + "jobpipe-status-poison",
                KafkaClientDefaults.producer(timeouts)), new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public void copy(ConsumerRecord<String, byte[]> record, Exception reason) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        PoisonHeaders.add(headers, record.topic(), record.partition(), record.offset(), reason, REFUSED_BY,
                clock.instant());
        byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
        try {
            producer.send(new ProducerRecord<>(topic, null, key, record.value(), headers))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while copying a poison record to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("could not copy " + record.topic() + "-" + record.partition() + "@"
                    + record.offset() + " to " + topic + ": " + e, e);
        }
        Counter.builder("jobpipe.poison.records").description("Records that could not be read, copied to the poison topic")
                .tag("topic", record.topic()).register(registry).increment();
    }

    @PreDestroy
    void close() {
        producer.close(SEND_TIMEOUT);
    }
}
