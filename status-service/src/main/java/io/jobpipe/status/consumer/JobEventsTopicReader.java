package io.jobpipe.status.consumer;

import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.kafka.Topic;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.status.config.ProjectionProperties;
import io.jobpipe.status.live.TopicArrivals;
import io.jobpipe.status.store.FeedEvent;
import io.jobpipe.support.config.TopicsProperties;
import io.jobpipe.support.kafka.KafkaClientConfigs;
import io.jobpipe.support.kafka.TopicProvisioning;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code jobpipe.job.events} as it is written and hands each poll's events to {@link TopicArrivals}, so an
 * SSE stream gets an event as soon as it lands in the topic, not after the projection's batch has been stored,
 * committed and notified (under load, seconds).
 * <ul>
 *   <li>Input: every partition of {@code <namespace>jobpipe.job.events}, assigned (no group membership, no offsets
 *       committed), from its end at start, {@code read_committed} (an aborted event must never reach a stream).</li>
 *   <li>Output: {@link TopicArrivals#arrived}; nothing is stored.</li>
 *   <li>Failure route: a record that is not a usable JobEvent is skipped here without a word (the projection logs
 *       it and copies it to {@code jobpipe.poison}). If Kafka fails the consumer, it is made again after a pause and
 *       starts from the end again: events missed meanwhile reach their streams through the read model.</li>
 * </ul>
 * Every replica reads the whole topic (each serves its own streams). Off with
 * {@code jobpipe.status.live.topic-tail.enabled=false}.
 */
@Singleton
@Requires(property = "jobpipe.status.live.topic-tail.enabled", notEquals = "false")
@Requires(property = "jobpipe.status.projection.enabled", notEquals = "false")
public class JobEventsTopicReader implements AssignedTopicReader.Reader {
    private static final Logger LOG = LoggerFactory.getLogger(JobEventsTopicReader.class);
    /** New partitions of the topic (an operator added some) are looked for this often. */
    static final Duration PARTITION_CHECK = Duration.ofSeconds(30);
    /** Short: a poll that waits blocks nothing else, but a long one delays the partition check and shutdown. */
    static final Duration POLL = Duration.ofMillis(500);

    private final TopicArrivals arrivals;
    private final Topic<JobEvent> topic;
    private final AssignedTopicReader loop;

    public JobEventsTopicReader(TopicArrivals arrivals, Topics topics, TopicsProperties topicsProperties,
                                TopicProvisioning provisioning, ProjectionProperties projection,
                                KafkaClientConfigs kafka) {
        this.arrivals = arrivals;
        this.topic = topics.jobEvents;
        this.loop = new AssignedTopicReader("jobpipe-status-live-topic",
                topicsProperties.namespace() + "jobpipe-status-live", topic.name(), AssignedTopicReader.Start.END,
                this, kafka, provisioning, POLL, PARTITION_CHECK,
                Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, projection.maxPollRecords()));
    }

    @EventListener
    void onStartup(StartupEvent event) {
        loop.start();
    }

    @PreDestroy
    void close() {
        loop.close();
    }

    @Override
    public void assigned(int partitions) {
        LOG.info("streams get {}'s events as they are written ({} partitions, from their end)", topic.name(),
                partitions);
    }

    @Override
    public void missing() {
        LOG.debug("topic {} does not exist yet; streams get their events from the read model until it does",
                topic.name());
    }

    @Override
    public void failed(RuntimeException failure) {
        LOG.warn("reading {} for live streams failed ({}); streams get their events from the read model until it"
                + " reads again", topic.name(), failure.toString());
    }

    @Override
    public void read(ConsumerRecords<String, byte[]> records) {
        List<TopicArrivals.Arrival> decoded = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            // What the projection would skip is skipped here too; the projection logs it and copies it to the poison
            // topic.
            JobEventDecoder.usable(topic, record).ifPresent(incoming -> decoded.add(new TopicArrivals.Arrival(
                    incoming.event().jobId(), new FeedEvent(incoming.event().seq(), incoming.type(), incoming.json()))));
        }
        arrivals.arrived(decoded);
    }
}
