package io.jobpipe.ingest.kafka;

import io.jobpipe.core.event.JobRequested;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.support.kafka.TopicProvisioning;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Gets Kafka ready for the first webhook without holding up startup: creates the topics (through the shared
 * {@link TopicProvisioning}, when {@code jobpipe.topics.auto-create}) and loads the producer's metadata for {@code jobpipe.jobs.requested},
 * so the first send finds it cached. Retries with backoff ({@code jobpipe.topics.provisioning.first-retry} and
 * {@code max-retry}) while the broker is unreachable, so ingest is up and answers 503 rather than refusing
 * connections.
 *
 * <p>Webhooks are refused until the topics are known to exist: a send to a missing topic would let the
 * broker create it with its default partition count and break co-partitioning.
 */
@Context
public final class KafkaStartup {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaStartup.class);

    private final Producer<String, JobRequested> producer;
    private final Topics topics;
    private final TopicProvisioning provisioning;
    private final ScheduledExecutorService scheduler;
    private volatile boolean metadataLoaded;
    private volatile String lastError;
    private int failures;

    public KafkaStartup(Producer<String, JobRequested> producer, Topics topics, TopicProvisioning provisioning) {
        this.producer = producer;
        this.topics = topics;
        this.provisioning = provisioning;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ingest-kafka-startup");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.execute(this::attempt);
    }

    /** True once the topics exist: from then on every webhook is sent and Kafka's answer decides. */
    public boolean topicsReady() {
        return provisioning.ready();
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
            provisioning.ensureTopics();
            int partitions = producer.partitionsFor(topics.jobsRequested.name()).size();
            metadataLoaded = true;
            lastError = null;
            LOG.info("kafka ready: {} has {} partitions", topics.jobsRequested.name(), partitions);
        } catch (RuntimeException e) {
            lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
            Duration delay = provisioning.retryDelay(++failures);
            // Every attempt while down would flood the log; the first and then every tenth tell the story.
            if (failures == 1 || failures % 10 == 0) {
                LOG.warn("kafka not ready (attempt {}), retrying in {} ms: {}", failures, delay.toMillis(), lastError);
            }
            if (!scheduler.isShutdown()) {
                scheduler.schedule(this::attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    @PreDestroy
    void stop() {
        scheduler.shutdownNow();
    }
}
