package io.jobpipe.runtime.infra;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka 4.3.1 broker in KRaft mode (broker and controller in one), started from the
 * Kafka jars: the storage is formatted on first start and kept in {@code dataDir}, so a restart resumes.
 * Internal topics run with replication factor 1, which EOS transactions and share groups need on one node.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private final Path dataDir;
    private final int port;
    private final KafkaRaftServer server;

    private EmbeddedKafkaBroker(Path dataDir, int port, KafkaRaftServer server) {
        this.dataDir = dataDir;
        this.port = port;
        this.server = server;
    }

    /** Formats {@code dataDir} if it is new, starts the broker and waits until it answers. */
    public static EmbeddedKafkaBroker start(Path dataDir, int port, int controllerPort) {
        return start(dataDir, port, controllerPort, Map.of());
    }

    /** As {@link #start(Path, int, int)}, with {@code overrides} replacing or adding broker properties (tests). */
    public static EmbeddedKafkaBroker start(Path dataDir, int port, int controllerPort, Map<String, String> overrides) {
        try {
            Files.createDirectories(dataDir);
            Path logDir = dataDir.resolve("log");
            Properties props = brokerProperties(logDir, port, controllerPort);
            props.putAll(overrides);
            Path propsFile = dataDir.resolve("server.properties");
            try (OutputStream out = Files.newOutputStream(propsFile)) {
                props.store(out, "jobpipe embedded broker (generated on each start)");
            }
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format(propsFile);
            }
            Instant started = Instant.now();
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, port, server);
            broker.awaitReady(Duration.ofSeconds(60));
            LOG.info("Kafka broker ready on {} in {} ms", broker.bootstrapServers(),
                    Duration.between(started, Instant.now()).toMillis());
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka data dir " + dataDir, e);
        }
    }

    static Properties brokerProperties(Path logDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
                Map.entry("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("log.dirs", logDir.toAbsolutePath().toString()),
                Map.entry("auto.create.topics.enable", "false"),
                Map.entry("num.partitions", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                // One node: every internal topic at RF 1, and few partitions so the first start is quick.
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "6"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("transaction.state.log.num.partitions", "6"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("share.coordinator.state.topic.num.partitions", "6"),
                // A crashed worker's share-group member keeps its partitions until its session expires, and no
                // other worker fetches them meanwhile: 45 s of stalled stages by default. Heartbeats every 2 s.
                Map.entry("group.share.session.timeout.ms", "10000"),
                Map.entry("group.share.min.session.timeout.ms", "10000"),
                Map.entry("group.share.heartbeat.interval.ms", "2000"),
                Map.entry("group.share.min.heartbeat.interval.ms", "2000"),
                Map.entry("transaction.abort.timed.out.transaction.cleanup.interval.ms", "10000"),
                // Every hop of a job is a transaction right after the previous one; its first write is verified
                // while the previous transaction's markers may still be in flight (CONCURRENT_TRANSACTIONS), and the
                // broker retries after this backoff (20 ms by default, paid on a hop's critical path). A retry costs
                // one coordinator lookup on this one node; production brokers: see docs/DECISIONS.md.
                Map.entry("add.partitions.to.txn.retry.backoff.ms", "2"),
                Map.entry("add.partitions.to.txn.retry.backoff.max.ms", "20"),
                Map.entry("log.retention.hours", "168")));
        return p;
    }

    private static void format(Path propsFile) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int code = StorageTool.execute(new String[]{
                "format", "-t", Uuid.randomUuid().toString(), "-c", propsFile.toString(), "--ignore-formatted"},
                new PrintStream(output, true, StandardCharsets.UTF_8));
        if (code != 0) {
            throw new IllegalStateException("formatting Kafka storage failed: " + output.toString(StandardCharsets.UTF_8));
        }
    }

    private void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        RuntimeException last = null;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000))) {
            while (Instant.now().isBefore(deadline)) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    last = new IllegalStateException(e.getMessage(), e);
                }
                sleep(200);
            }
        }
        throw new IllegalStateException("Kafka broker did not become ready within " + timeout, last);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
