package io.jobpipe.orchestrator;

import io.jobpipe.core.kafka.Topics;
import io.jobpipe.testing.KafkaFixture;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/** The orchestrator service on the shared test broker, and the clients a test plays ingest and workers with. */
final class OrchestratorUnderTest {
    private OrchestratorUnderTest() {
    }

    /** Starts the service on {@code topics}, with {@code settings} over the test defaults. */
    static EmbeddedServer start(Topics topics, Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>(Map.of(
                "micronaut.server.host", "127.0.0.1",
                "micronaut.server.port", -1,
                "kafka.bootstrap.servers", KafkaFixture.shared().bootstrapServers(),
                "jobpipe.topics.namespace", topics.namespace()));
        all.putAll(settings);
        return ApplicationContext.run(EmbeddedServer.class, all);
    }

    /** Closes what {@link #start} and {@link #producer} opened; either may be null (a start that failed). */
    static void stop(EmbeddedServer server, KafkaProducer<String, byte[]> producer) {
        if (producer != null) {
            producer.close();
        }
        if (server != null) {
            server.getApplicationContext().close();
        }
    }

    /** An idempotent acks=all producer of raw values. */
    static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.shared().bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    /** Reads every partition of {@code topicNames} from the start, seeing only committed transactions. */
    static KafkaConsumer<String, byte[]> committedReader(Collection<String> topicNames) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.shared().bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = topicNames.stream()
                .flatMap(topic -> await().atMost(Duration.ofSeconds(60)).until(() -> consumer.partitionsFor(topic),
                        p -> p != null && !p.isEmpty()).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }
}
