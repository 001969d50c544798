package io.jobpipe.core.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
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
 * Every topic takes records of up to {@link #MAX_MESSAGE_BYTES} (a 25 MiB webhook body travels in JobRequested,
 * StageRequested and dead letters); topics created before that limit existed are raised to it.
 */
public final class TopicProvisioner {
    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

    /** The default bound of each admin call; services configure theirs ({@code jobpipe.topics.provisioning.timeout}). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /**
     * The largest record batch (after compression) a jobpipe topic accepts: a 25 MiB body, its envelope and the stage
     * outputs beside it. Kafka's default is 1 MiB.
     */
    public static final int MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

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
                                .configs(Map.of("min.insync.replicas", String.valueOf(Math.min(2, replicationFactor)),
                                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(MAX_MESSAGE_BYTES))))
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
            raiseMessageLimit(wanted.stream().filter(existing::contains).toList());
            checkCoPartitioned(topics, stages);
            List<String> created = new ArrayList<>(missing);
            if (!existing.contains(topics.breakers.name()) && createBreakersTopic(topics.breakers.name())) {
                created.add(topics.breakers.name());
            }
            return created;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create jobpipe topics: " + e.getMessage(), e);
        }
    }

    /**
     * {@code jobpipe.breakers} is a table, not a log: compacted, so the latest state of each breaker is kept for
     * good, and one partition, since every reader reads all of it (as a Kafka Streams global store).
     */
    private boolean createBreakersTopic(String name) throws InterruptedException, ExecutionException, TimeoutException {
        NewTopic breakers = new NewTopic(name, 1, replicationFactor).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                "min.insync.replicas", String.valueOf(Math.min(2, replicationFactor))));
        boolean created;
        try {
            admin.createTopics(List.of(breakers)).all().get(timeoutMs, TimeUnit.MILLISECONDS);
            LOG.info("created topic {}", name);
            created = true;
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
            created = false;
        }
        awaitLeader(name);
        return created;
    }

    /**
     * A Kafka Streams global store refuses to start on a topic whose partition the brokers do not serve yet ("no
     * partitions available"), which a topic created a moment ago may not be: wait until its partition has a leader.
     */
    private void awaitLeader(String name) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            try {
                TopicDescription description = admin.describeTopics(List.of(name)).allTopicNames()
                        .get(timeoutMs, TimeUnit.MILLISECONDS).get(name);
                if (description != null && !description.partitions().isEmpty()
                        && description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    return;
                }
            } catch (ExecutionException e) {
                // UnknownTopicOrPartition while the metadata spreads: ask again.
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("topic " + name + " has no partition leader after " + timeoutMs + " ms");
            }
            Thread.sleep(50);
        }
    }

    /** Topics made before the limit was raised keep Kafka's 1 MiB unless told; setting it again is a no-op. */
    private void raiseMessageLimit(List<String> existing) throws InterruptedException, TimeoutException {
        if (existing.isEmpty()) {
            return;
        }
        AlterConfigOp raise = new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                String.valueOf(MAX_MESSAGE_BYTES)), AlterConfigOp.OpType.SET);
        Map<ConfigResource, Collection<AlterConfigOp>> changes = existing.stream().collect(Collectors.toMap(
                name -> new ConfigResource(ConfigResource.Type.TOPIC, name), name -> List.of(raise)));
        try {
            admin.incrementalAlterConfigs(changes).all().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            // Not fatal: bodies under 1 MiB still flow; an operator without the right to alter topics sets it himself.
            LOG.warn("could not set {}={} on existing topics: {}", TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                    MAX_MESSAGE_BYTES, e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
        }
    }

    private void checkCoPartitioned(Topics topics, Collection<String> stages)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<String> jobKeyed = topics.jobKeyedNames(stages);
        Map<String, TopicDescription> descriptions = describeWhenKnown(jobKeyed);
        Map<Integer, List<String>> byCount = descriptions.values().stream().collect(Collectors.groupingBy(
                d -> d.partitions().size(), Collectors.mapping(TopicDescription::name, Collectors.toList())));
        if (byCount.size() > 1) {
            throw new IllegalStateException("job-keyed topics must have the same partition count, found " + byCount);
        }
    }

    /**
     * The topics' descriptions, asked again while the broker answers UnknownTopicOrPartition: topics created a
     * moment ago are not in every broker's metadata yet (CI saw it on a fresh broker).
     */
    private Map<String, TopicDescription> describeWhenKnown(List<String> names)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            try {
                return admin.describeTopics(names).allTopicNames().get(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(50);
        }
    }
}
