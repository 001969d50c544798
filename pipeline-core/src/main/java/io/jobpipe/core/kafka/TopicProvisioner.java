package io.jobpipe.core.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Creates the topics a pipeline catalog needs, idempotently, and refuses to run on topics whose
 * partition counts differ: every job-keyed topic must be co-partitioned for the orchestrator's join.
 */
public final class TopicProvisioner {
    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

    /** The default bound of each admin call; services configure theirs ({@code jobpipe.topics.provisioning.timeout}). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final Admin admin;
    private final int partitions;
    private final short replicationFactor;
    private final long timeoutMs;

    public TopicProvisioner(Admin admin, int partitions, short replicationFactor) {
        this(admin, partitions, replicationFactor, DEFAULT_TIMEOUT);
    }

    /** @param timeout the longest each admin call (list, create, describe) may take */
    public TopicProvisioner(Admin admin, int partitions, short replicationFactor, Duration timeout) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        this.admin = admin;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
        this.timeoutMs = timeout.toMillis();
    }

    /** Ensures every topic of {@code topics} for {@code stages} exists; returns the names it created. */
    public List<String> ensure(Topics topics, Collection<String> stages) {
        List<String> wanted = topics.allNames(stages);
        try {
            Set<String> existing = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
            List<String> missing = wanted.stream().filter(name -> !existing.contains(name)).toList();
            if (!missing.isEmpty()) {
                List<NewTopic> newTopics = missing.stream()
                        .map(name -> new NewTopic(name, partitions, replicationFactor)
                                .configs(Map.of("min.insync.replicas", String.valueOf(Math.min(2, replicationFactor)))))
                        .toList();
                try {
                    admin.createTopics(newTopics).all().get(timeoutMs, TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
                LOG.info("created topics {}", missing);
            }
            checkCoPartitioned(topics, stages);
            return missing;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create jobpipe topics: " + e.getMessage(), e);
        }
    }

    private void checkCoPartitioned(Topics topics, Collection<String> stages)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<String> jobKeyed = topics.allNames(stages).stream().filter(name -> !name.endsWith(".dlq")).toList();
        Map<String, TopicDescription> descriptions = admin.describeTopics(jobKeyed).allTopicNames().get(timeoutMs, TimeUnit.MILLISECONDS);
        Map<Integer, List<String>> byCount = descriptions.values().stream().collect(Collectors.groupingBy(
                d -> d.partitions().size(), Collectors.mapping(TopicDescription::name, Collectors.toList())));
        if (byCount.size() > 1) {
            throw new IllegalStateException("job-keyed topics must have the same partition count, found " + byCount);
        }
    }
}
