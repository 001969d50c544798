package io.jobpipe.support.kafka;

import io.jobpipe.core.kafka.TopicProvisioner;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Every Kafka client setting jobpipe chooses, with the reason next to each value, in one place so that tuning
 * happens here once. Pure: maps of Kafka config names, unit-tested. The settings that only wire a client
 * (serdes, group and application ids, state directory, handler classes of a service) stay with the service;
 * {@link KafkaClientConfigs} merges both with the operator's {@code jobpipe.kafka.*} overrides.
 */
public final class KafkaClientDefaults {
    /** Room for the JobRequested envelope around a body of the maximum size. */
    public static final int ENVELOPE_ALLOWANCE_BYTES = 64 * 1024;
    private static final int KAFKA_DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;

    private KafkaClientDefaults() {
    }

    /** Every producer: a record is written once and replicated before it counts as sent. */
    public static Map<String, Object> producer(ProducerTimeouts timeouts) {
        Map<String, Object> config = new HashMap<>();
        // A 2xx (ingest) or an acknowledged request (worker) promises the record is replicated and written once,
        // even if the producer retries.
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, millis(timeouts.linger()));
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, millis(timeouts.maxBlock()));
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, millis(timeouts.requestTimeout()));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, millis(timeouts.deliveryTimeout()));
        return config;
    }

    /**
     * Ingest's job-request producer: a dead broker must yield a 503 within about five seconds, so every send is
     * bounded by {@code timeouts}; records are as large as the largest accepted body.
     */
    public static Map<String, Object> jobRequestProducer(ProducerTimeouts timeouts, long maxBodyBytes) {
        Map<String, Object> config = producer(timeouts);
        // The producer checks the uncompressed size; the broker's own limit applies to the compressed batch.
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, (int) Math.max(KAFKA_DEFAULT_MAX_REQUEST_SIZE,
                Math.min(Integer.MAX_VALUE, maxBodyBytes + ENVELOPE_ALLOWANCE_BYTES)));
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // Ingest writes one topic only: keep its metadata for good so a send never waits to fetch it again.
        config.put(ProducerConfig.METADATA_MAX_IDLE_CONFIG, (int) Duration.ofDays(1).toMillis());
        return config;
    }

    /**
     * The worker's stage-result producer. Timeouts stay well inside the share lock: a result that cannot be
     * written in {@code sendTimeout} is better released for redelivery than acknowledged late. No linger: every
     * hop of every job waits for this send, and under load results still batch while earlier sends are in flight.
     */
    public static Map<String, Object> stageResultProducer(Duration sendTimeout) {
        long send = Math.max(5_000, sendTimeout.toMillis());
        Map<String, Object> config = producer(new ProducerTimeouts(Duration.ZERO, Duration.ofMillis(send / 2),
                Duration.ofMillis(Math.min(30_000, send / 2)), Duration.ofMillis(send)));
        // A result is small, but an unreadable request goes to its dead-letter topic whole, payload and all.
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicProvisioner.MAX_MESSAGE_BYTES);
        return config;
    }

    /**
     * The worker's share consumer: acknowledges explicitly, and acquires at most {@code maxPollRecords} records
     * at a time so their locks do not run out while earlier ones are handled.
     */
    public static Map<String, Object> stageShareConsumer(int maxPollRecords) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
        config.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        return config;
    }

    /** The status projection's consumer: committed transactions only, offsets committed by hand after the rows. */
    public static Map<String, Object> projectionConsumer(int maxPollRecords) {
        Map<String, Object> config = new HashMap<>();
        // The orchestrator writes with EOS: an aborted event must never reach the read model.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // The read model is rebuilt from the whole history: a new group starts at the beginning.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        return config;
    }

    /**
     * The orchestrator's Streams application: exactly-once, committing at least every {@code commitInterval} while
     * it processes (the application requests earlier commits itself; an idle application commits nothing).
     */
    public static Map<String, Object> exactlyOnceStreams(Duration commitInterval) {
        Map<String, Object> config = new HashMap<>();
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
        // An idle hop no longer waits for this: the orchestrator requests a commit right after a record. Only a
        // record that shares a transaction with one just before it waits for the next poll to return, so the poll
        // is bounded by the commit interval (an idle thread loops 20 times a second, not 40).
        config.put(StreamsConfig.POLL_MS_CONFIG, Math.max(5, commitInterval.toMillis()));
        // A task reads two topics (job requests and stage results). By default it stops processing buffered results
        // whenever the other topic's partition is empty locally but has (or may have) data on the broker, to merge
        // the two by timestamp; under load that is an extra fetch round trip again and again. Nothing here needs
        // that merge: a job's results exist only after its request was processed, so process what is buffered.
        config.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        // A record whose processing throws is logged and skipped; it must not stop the partition.
        config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueProcessingExceptionHandler.class);
        config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // EOS implies idempotence and acks=all; stated so a reader does not have to know that.
        config.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        // With a commit every few tens of ms, the next transaction often starts while the broker still completes
        // the last one (CONCURRENT_TRANSACTIONS); the default 100 ms retry backoff would add that to a hop.
        config.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), 10);
        // A job's state and each stage request carry its webhook body (up to 25 MiB): the producer checks records
        // uncompressed against max.request.size, the broker checks compressed batches against the topic's
        // max.message.bytes (TopicProvisioner sets it on jobpipe's topics, topic.* on the changelog Streams creates).
        // zstd: the job state is written again at every transition, and JSON shrinks several times over.
        config.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), TopicProvisioner.MAX_MESSAGE_BYTES);
        config.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "zstd");
        config.put(StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG), TopicProvisioner.MAX_MESSAGE_BYTES);
        return config;
    }

    /** The admin client: Kafka's own timeouts; a service that must fail fast overrides them by configuration. */
    public static Map<String, Object> admin() {
        return Map.of();
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }
}
