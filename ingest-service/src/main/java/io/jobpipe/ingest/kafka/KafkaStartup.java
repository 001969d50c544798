package io.jobpipe.ingest.kafka;

import io.jobpipe.core.event.JobRequested;
import io.jobpipe.core.kafka.TopicProvisioner;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.core.pipeline.PipelineCatalog;
import io.jobpipe.ingest.config.TopicSettings;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Gets Kafka ready for the first webhook without holding up startup: creates the topics (when
 * {@code jobpipe.topics.auto-create}) and loads the producer's metadata for {@code jobpipe.jobs.requested},
 * so the first send finds it cached. Retries with backoff while the broker is unreachable, so ingest is up
 * and answers 503 rather than refusing connections.
 *
 * <p>Webhooks are refused until the topics are known to exist: a send to a missing topic would let the
 * broker create it with its default partition count and break co-partitioning.
 */
@Context
public final class KafkaStartup {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaStartup.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration MAX_RETRY = Duration.ofSeconds(15);

    private final Admin admin;
    private final Producer<String, JobRequested> producer;
    private final Topics topics;
    private final PipelineCatalog catalog;
    private final TopicSettings settings;
    private final ScheduledExecutorService scheduler;
    private volatile boolean topicsReady;
    private volatile boolean metadataLoaded;
    private volatile String lastError;
    private int failures;

    public KafkaStartup(Admin admin, Producer<String, JobRequested> producer, Topics topics,
                        PipelineCatalog catalog, TopicSettings settings) {
        this.admin = admin;
        this.producer = producer;
        this.topics = topics;
        this.catalog = catalog;
        this.settings = settings;
        // Without auto-create the operator owns the topics; ingest trusts they exist.
        this.topicsReady = !settings.autoCreate();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ingest-kafka-startup");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.execute(this::attempt);
    }

    /** True once the topics exist: from then on every webhook is sent and Kafka's answer decides. */
    public boolean topicsReady() {
        return topicsReady;
    }

    public boolean metadataLoaded() {
        return metadataLoaded;
    }

    /** Why the last attempt failed, or null. */
    public String lastError() {
        return lastError;
    }

    private void attempt() {
        try {
            if (!topicsReady) {
                new TopicProvisioner(admin, settings.partitions(), settings.replicationFactor())
                        .ensure(topics, catalog.allStageNames());
                topicsReady = true;
            }
            int partitions = producer.partitionsFor(topics.jobsRequested.name()).size();
            metadataLoaded = true;
            lastError = null;
            LOG.info("kafka ready: {} has {} partitions", topics.jobsRequested.name(), partitions);
        } catch (RuntimeException e) {
            lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
            Duration delay = backoff(++failures);
            // Every attempt while down would flood the log; the first and then every tenth tell the story.
            if (failures == 1 || failures % 10 == 0) {
                LOG.warn("kafka not ready (attempt {}), retrying in {} ms: {}", failures, delay.toMillis(), lastError);
            }
            if (!scheduler.isShutdown()) {
                scheduler.schedule(this::attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    static Duration backoff(int failures) {
        long millis = FIRST_RETRY.toMillis() << Math.min(failures - 1, 10);
        return Duration.ofMillis(Math.min(millis, MAX_RETRY.toMillis()));
    }

    @PreDestroy
    void stop() {
        scheduler.shutdownNow();
    }
}
