package io.jobpipe.orchestrator;

import io.jobpipe.core.kafka.Topics;
import io.jobpipe.core.pipeline.PipelineCatalog;
import io.jobpipe.orchestrator.config.OrchestratorProperties;
import io.jobpipe.orchestrator.metrics.OrchestratorMetrics;
import io.jobpipe.orchestrator.streams.OrchestratorTopology;
import io.jobpipe.orchestrator.streams.PoisonRecords;
import io.jobpipe.support.config.TopicsProperties;
import io.jobpipe.support.kafka.KafkaClientConfigs;
import io.jobpipe.support.kafka.TopicProvisioning;
import io.micronaut.context.annotation.Context;
import io.opentelemetry.api.trace.Tracer;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Starts the orchestrator's Kafka Streams application with the service and closes it on shutdown.
 * Topics are ensured first (shared {@link TopicProvisioning}), because Streams refuses to start
 * on missing source topics. A crashed stream thread is replaced rather than ending the instance: the
 * usual causes (broker failover, fenced producer) are transient, and every thread restarts from its
 * last committed transaction.
 */
@Context
public class OrchestratorRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(OrchestratorRuntime.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaClientConfigs kafka;
    private final TopicsProperties topicsProperties;
    private final OrchestratorProperties configuration;
    private final Topics topics;
    private final PipelineCatalog catalog;
    private final Tracer tracer;
    private final TopicProvisioning provisioning;
    private final OrchestratorMetrics metrics;
    private volatile KafkaStreams streams;
    private volatile boolean hasBeenRunning;
    private Path temporaryStateDir;

    public OrchestratorRuntime(KafkaClientConfigs kafka, TopicsProperties topicsProperties,
                               OrchestratorProperties configuration, Topics topics, PipelineCatalog catalog,
                               Tracer tracer, TopicProvisioning provisioning,
                               OrchestratorMetrics metrics) {
        this.kafka = kafka;
        this.topicsProperties = topicsProperties;
        this.configuration = configuration;
        this.topics = topics;
        this.catalog = catalog;
        this.tracer = tracer;
        this.provisioning = provisioning;
        this.metrics = metrics;
    }

    @PostConstruct
    void start() {
        provisioning.ensureTopics();
        String applicationId = applicationId();
        Map<String, Object> settings = StreamsSettings.settings(topicsProperties.replicationFactor(), configuration,
                stateDir(applicationId), topics.poison);
        settings.put(PoisonRecords.COUNTER_CONFIG, (Consumer<String>) metrics::poisonRecord);
        KafkaStreams kafkaStreams = new KafkaStreams(
                new OrchestratorTopology(topics, catalog, tracer, configuration.processorSettings()).build(metrics),
                kafka.streams(applicationId, settings));
        kafkaStreams.setStateListener((now, before) -> {
            LOG.info("kafka streams {} -> {}", before, now);
            metrics.streamsStateChanged(kafkaStreams, now);
            if (now == KafkaStreams.State.RUNNING) {
                hasBeenRunning = true;
            }
        });
        kafkaStreams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread died; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams = kafkaStreams;
        kafkaStreams.start();
        LOG.info("orchestrator {} started on {} (EOS v2, commit every {} ms)", applicationId, kafka.bootstrapServers(),
                configuration.commitInterval().toMillis());
    }

    @PreDestroy
    void stop() {
        KafkaStreams kafkaStreams = streams;
        if (kafkaStreams != null) {
            // Leave the group: by default Streams stays in it, and a restarted orchestrator then waits out the
            // old member's session timeout (~45 s) before it processes anything, while reporting itself up.
            kafkaStreams.close(org.apache.kafka.streams.CloseOptions.timeout(CLOSE_TIMEOUT)
                    .withGroupMembershipOperation(org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        }
        if (temporaryStateDir != null) {
            deleteRecursively(temporaryStateDir);
        }
    }

    /** True once the application has reached RUNNING: its first rebalance (and state restore) is over. */
    public boolean hasBeenRunning() {
        return hasBeenRunning;
    }

    /** The Streams state, or null before the application was created. */
    public KafkaStreams.State state() {
        KafkaStreams kafkaStreams = streams;
        return kafkaStreams == null ? null : kafkaStreams.state();
    }

    /** The Streams application's client metrics (commit and punctuation counts among them); empty before start. */
    public Map<MetricName, ? extends Metric> metrics() {
        KafkaStreams kafkaStreams = streams;
        return kafkaStreams == null ? Map.of() : kafkaStreams.metrics();
    }

    public String applicationId() {
        return StreamsSettings.applicationId(topicsProperties.namespace());
    }

    private String stateDir(String applicationId) {
        String configured = configuration.stateDir();
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        try {
            // Unique per process: two instances sharing a state dir would share a Streams process id.
            temporaryStateDir = Files.createTempDirectory(applicationId + "-state-");
            return temporaryStateDir.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a state directory", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.warn("cannot delete state directory {}: {}", dir, e.getMessage());
        }
    }
}
