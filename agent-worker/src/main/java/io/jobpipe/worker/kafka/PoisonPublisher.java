package io.jobpipe.worker.kafka;

import io.jobpipe.core.kafka.PoisonHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.time.Clock;
import java.util.concurrent.Future;

/**
 * Copies a record the worker cannot read, byte for byte with its original headers, to {@code jobpipe.poison},
 * adding {@link PoisonHeaders} that say where it came from and why: the same place and format as every other
 * component's unreadable records, so an operator looks in one topic.
 */
public final class PoisonPublisher {
    static final String REFUSED_BY = "agent-worker";

    private final Producer<byte[], byte[]> producer;
    private final String poisonTopic;
    private final Clock clock;

    public PoisonPublisher(Producer<byte[], byte[]> producer, String poisonTopic, Clock clock) {
        this.producer = producer;
        this.poisonTopic = poisonTopic;
        this.clock = clock;
    }

    public String topic() {
        return poisonTopic;
    }

    public Future<RecordMetadata> publish(ConsumerRecord<byte[], byte[]> original, Exception error) {
        RecordHeaders headers = new RecordHeaders(original.headers().toArray());
        PoisonHeaders.add(headers, original.topic(), original.partition(), original.offset(), error, REFUSED_BY,
                clock.instant());
        return producer.send(new ProducerRecord<>(poisonTopic, null, original.key(), original.value(), headers));
    }
}
