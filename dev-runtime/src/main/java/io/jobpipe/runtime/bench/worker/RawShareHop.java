package io.jobpipe.runtime.bench.worker;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The yardstick of {@code ./jobpipe bench worker}: the least a share-group worker must do per record, with the
 * worker's own client settings. One share consumer (explicit acknowledgement, {@code record_limit} 50, the worker's default) and one idempotent {@code acks=all} producer with no linger: each polled record is copied to the output topic and
 * ACCEPTed once its send is acknowledged, the acknowledgements riding on the next poll, as the worker's do. No
 * deserialization, no agent, no tracing: what is left between this rate and the worker's is the worker's own cost.
 * Runs in its own JVM (started by {@link WorkerBench}) until its stdin closes.
 */
public final class RawShareHop {
    /** The worker's default {@code max-poll-records}; the no-op stage runs at that concurrency, so it polls as many. */
    static final int MAX_POLL_RECORDS = 50;

    private RawShareHop() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: RawShareHop <bootstrap> <group> <in-topic> <out-topic>");
            System.exit(2);
        }
        AtomicBoolean running = new AtomicBoolean(true);
        Thread stdinWatch = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // Only the end of stdin matters: the bench closed it, or died.
                }
            } catch (java.io.IOException ignored) {
                // Same as the end of stdin.
            }
            running.set(false);
        }, "stdin-watch");
        stdinWatch.setDaemon(true);
        stdinWatch.start();
        try (KafkaShareConsumer<byte[], byte[]> consumer = new KafkaShareConsumer<>(consumerConfig(args[0], args[1]));
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(args[0]))) {
            consumer.subscribe(List.of(args[2]));
            System.out.println("READY");
            System.out.flush();
            while (running.get()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                List<Future<RecordMetadata>> sends = new ArrayList<>(records.count());
                List<ConsumerRecord<byte[], byte[]>> polled = new ArrayList<>(records.count());
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    polled.add(record);
                    sends.add(producer.send(new ProducerRecord<>(args[3], record.key(), record.value())));
                }
                for (int i = 0; i < polled.size(); i++) {
                    try {
                        sends.get(i).get();
                        consumer.acknowledge(polled.get(i), AcknowledgeType.ACCEPT);
                    } catch (ExecutionException e) {
                        consumer.acknowledge(polled.get(i), AcknowledgeType.RELEASE);
                    }
                }
            }
        }
    }

    private static Map<String, Object> consumerConfig(String bootstrap, String group) {
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit",
                ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    }

    private static Map<String, Object> producerConfig(String bootstrap) {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    }
}
