package io.jobpipe.testing;

import io.jobpipe.runtime.infra.EmbeddedKafkaBroker;
import io.jobpipe.runtime.infra.FreePorts;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One real Kafka broker per test JVM, shared by every test in it (tests isolate themselves with unique topic
 * namespaces). Testcontainers' apache/kafka image when a Docker engine answers; otherwise the embedded
 * KRaft broker that {@code ./jobpipe up} also runs. Force one with {@code -Djobpipe.test.kafka=embedded|testcontainers}.
 */
public final class KafkaFixture {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaFixture.class);
    public static final String KAFKA_IMAGE = "apache/kafka:4.3.1";
    /**
     * The shortest acquisition lock a share group may set ({@code group.share.min.record.lock.duration.ms}, 15 s by
     * default), lowered so that a test can give its group a lock of a few seconds and outlive it quickly.
     */
    public static final int MIN_RECORD_LOCK_MS = 1_000;

    private static volatile KafkaFixture shared;

    private final String bootstrapServers;
    private final String backend;
    private final Admin admin;

    private KafkaFixture(String bootstrapServers, String backend) {
        this.bootstrapServers = bootstrapServers;
        this.backend = backend;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    public static KafkaFixture shared() {
        if (shared == null) {
            synchronized (KafkaFixture.class) {
                if (shared == null) {
                    shared = start();
                }
            }
        }
        return shared;
    }

    private static KafkaFixture start() {
        String forced = System.getProperty("jobpipe.test.kafka", "");
        boolean docker = !forced.equals("embedded") && (forced.equals("testcontainers") || dockerEngineAvailable());
        return docker ? startContainer() : startEmbedded();
    }

    private static boolean dockerEngineAvailable() {
        // Without a socket or DOCKER_HOST there is no engine; skip Testcontainers' slow probing.
        if (System.getenv("DOCKER_HOST") == null && !Files.exists(Path.of("/var/run/docker.sock"))) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    @SuppressWarnings("resource")
    private static KafkaFixture startContainer() {
        KafkaContainer container = new KafkaContainer(KAFKA_IMAGE)
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .withEnv("KAFKA_GROUP_SHARE_MIN_RECORD_LOCK_DURATION_MS", Integer.toString(MIN_RECORD_LOCK_MS));
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "kafka-container-stop"));
        LOG.info("test Kafka: Testcontainers {} at {}", KAFKA_IMAGE, container.getBootstrapServers());
        return new KafkaFixture(container.getBootstrapServers(), "testcontainers");
    }

    private static KafkaFixture startEmbedded() {
        try {
            Path dir = Files.createTempDirectory("jobpipe-test-kafka");
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, FreePorts.next(), FreePorts.next(),
                    Map.of("group.share.min.record.lock.duration.ms", Integer.toString(MIN_RECORD_LOCK_MS)));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                broker.close();
                TempDirs.deleteQuietly(dir);
            }, "kafka-embedded-stop"));
            LOG.info("test Kafka: embedded KRaft broker at {}", broker.bootstrapServers());
            return new KafkaFixture(broker.bootstrapServers(), "embedded");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** "testcontainers" or "embedded". */
    public String backend() {
        return backend;
    }

    /** A shared Admin client; do not close it. */
    public Admin admin() {
        return admin;
    }
}
