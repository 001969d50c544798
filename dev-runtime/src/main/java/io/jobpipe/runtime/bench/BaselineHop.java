package io.jobpipe.runtime.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

/**
 * The yardstick: one raw Kafka hop on the same broker, at the same open-loop rate as the pipeline run, as fast as
 * this broker allows for the guarantees the pipeline keeps. An idempotent {@code acks=all} producer with
 * {@code linger.ms=0} writes to a temporary topic; a consumer with {@code fetch.min.bytes=1} and
 * {@code read_committed} (the isolation level every jobpipe reader uses) reads it back, assigned and positioned
 * at the end before the first send. A slower baseline would flatter the pipeline's ratio to it. Latency = seen by the consumer − scheduled send
 * time. The topic is created for the run and deleted afterwards. One record per partition warms both clients
 * up first (metadata, producer id, connections), as the services are warm when the pipeline is measured.
 */
public final class BaselineHop {
    /** One baseline run. {@code lost} counts records produced but not read back within the drain timeout. */
    public record Result(String topic, int partitions, short replicationFactor, int payloadBytes, int producerLingerMs,
                         int consumerFetchMinBytes, String isolationLevel, double ratePerSecond, int count, long received, long sendErrors, long lost,
                         LatencySummary latency) {
    }

    private static final long WARM_UP_INDEX = -1;
    static final int LINGER_MS = 0;
    static final int FETCH_MIN_BYTES = 1;
    static final String ISOLATION = "read_committed";

    private final Admin admin;
    private final String bootstrapServers;
    private final String topic;
    private final int partitions;
    private final short replicationFactor;
    private final int payloadBytes;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong warmUpsReceived = new AtomicLong();
    private final AtomicLong sendErrors = new AtomicLong();
    private final AtomicReference<String> firstSendError = new AtomicReference<>();
    private final LatencyStats latency = new LatencyStats();
    private volatile AtomicLongArray dueNanos = new AtomicLongArray(0);
    private volatile AtomicLongArray seen = new AtomicLongArray(0);

    public BaselineHop(Admin admin, String bootstrapServers, String topic, int partitions, short replicationFactor,
                       int payloadBytes) {
        this.admin = admin;
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
        this.payloadBytes = Math.max(Long.BYTES, payloadBytes);
    }

    /** For the progress line while it runs. */
    public String progress() {
        return String.format("baseline  sent %d  received %d", sent.get(), received.get());
    }

    public Result run(ArrivalSchedule schedule, Duration drainTimeout) throws InterruptedException {
        dueNanos = new AtomicLongArray(schedule.count());
        seen = new AtomicLongArray(schedule.count());
        createTopic();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            KafkaConsumer<String, byte[]> consumer = consumerAtEnd();
            ReadLoop reader = new ReadLoop(consumer, schedule.count());
            Thread thread = new Thread(reader, "bench-baseline-consumer");
            thread.setDaemon(true);
            thread.start();
            try {
                warmUp(producer);
                new Pacer().run(schedule, System.nanoTime(), (index, due) -> {
                    dueNanos.set(index, due);
                    sent.incrementAndGet();
                    producer.send(new ProducerRecord<>(topic, "k" + index, value(index)), (metadata, error) -> {
                        if (error != null) {
                            sendErrors.incrementAndGet();
                            firstSendError.compareAndSet(null, error.toString());
                        }
                    });
                });
                producer.flush();
                long deadline = System.nanoTime() + drainTimeout.toNanos();
                while (received.get() + sendErrors.get() < schedule.count() && System.nanoTime() < deadline) {
                    TimeUnit.MILLISECONDS.sleep(20);
                }
            } finally {
                reader.stop(consumer);
                thread.join(10_000);
            }
        } finally {
            deleteTopic();
        }
        long got = received.get();
        return new Result(topic, partitions, replicationFactor, payloadBytes, lingerMs(), FETCH_MIN_BYTES, ISOLATION,
                schedule.ratePerSecond(), schedule.count(),
                got, sendErrors.get(), schedule.count() - got - sendErrors.get(), latency.summary());
    }

    /** The first producer error, for the report when records could not be written. */
    public String firstSendError() {
        return firstSendError.get();
    }

    private void warmUp(KafkaProducer<String, byte[]> producer) throws InterruptedException {
        try {
            for (int p = 0; p < partitions; p++) {
                producer.send(new ProducerRecord<>(topic, p, "warm-up", value(WARM_UP_INDEX))).get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot write to the baseline topic " + topic + ": " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (warmUpsReceived.get() < partitions) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the baseline consumer did not read its warm-up records within 30 s");
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    private byte[] value(long index) {
        ByteBuffer buffer = ByteBuffer.allocate(payloadBytes);
        buffer.putLong(index);
        while (buffer.hasRemaining()) {
            buffer.put((byte) ('a' + buffer.position() % 26));
        }
        return buffer.array();
    }

    /** No batching delay: a record leaves as soon as it is sent (the client default is 5 ms). */
    private Map<String, Object> producerConfig() {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, LINGER_MS,
                ProducerConfig.CLIENT_ID_CONFIG, "jobpipe-bench-baseline",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(producerConfig());
    }

    private int lingerMs() {
        return ((Number) new ProducerConfig(producerConfig()).values().get(ProducerConfig.LINGER_MS_CONFIG)).intValue();
    }

    private KafkaConsumer<String, byte[]> consumerAtEnd() {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, ISOLATION,
                ConsumerConfig.FETCH_MIN_BYTES_CONFIG, FETCH_MIN_BYTES,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "jobpipe-bench-baseline"),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> assigned = IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p)).toList();
        consumer.assign(assigned);
        consumer.seekToEnd(assigned);
        assigned.forEach(tp -> consumer.position(tp, Duration.ofSeconds(30)));
        return consumer;
    }

    private void createTopic() throws InterruptedException {
        NewTopic newTopic = new NewTopic(topic, partitions, replicationFactor)
                .configs(Map.of("min.insync.replicas", String.valueOf(Math.min(2, replicationFactor))));
        try {
            admin.createTopics(List.of(newTopic)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create the baseline topic " + topic + ": " + e.getMessage(), e);
        }
    }

    private void deleteTopic() {
        try {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // A leftover temporary topic is harmless; say so rather than fail the run.
            System.err.println("could not delete the baseline topic " + topic + ": " + e.getMessage());
        }
    }

    private final class ReadLoop implements Runnable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final int count;
        private volatile boolean running = true;

        ReadLoop(KafkaConsumer<String, byte[]> consumer, int count) {
            this.consumer = consumer;
            this.count = count;
        }

        @Override
        public void run() {
            try {
                while (running) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        long now = System.nanoTime();
                        long index = ByteBuffer.wrap(record.value()).getLong(0);
                        if (index == WARM_UP_INDEX) {
                            warmUpsReceived.incrementAndGet();
                        } else if (index >= 0 && index < count && seen.compareAndSet((int) index, 0, 1)) {
                            latency.recordNanos(now - dueNanos.get((int) index));
                            received.incrementAndGet();
                        }
                    }
                }
            } catch (WakeupException e) {
                // stop() asked us to end.
            } finally {
                consumer.close(Duration.ofSeconds(2));
            }
        }

        void stop(KafkaConsumer<String, byte[]> consumer) {
            running = false;
            consumer.wakeup();
        }
    }
}
