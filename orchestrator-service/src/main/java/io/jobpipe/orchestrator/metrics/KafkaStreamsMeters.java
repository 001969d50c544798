package io.jobpipe.orchestrator.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Kafka Streams' own metrics in the registry ({@code kafka_stream_*}, {@code kafka_consumer_*}, {@code kafka_producer_*}
 * of its clients), among them {@code kafka_stream_processor_node_record_e2e_latency_{avg,min,max}} (milliseconds, as
 * Kafka reports them) of the source and sink nodes. Micrometer's binder looks for new Kafka metrics only once a minute,
 * and the task-level ones appear only after a rebalance assigned tasks; so the binder is renewed each time the
 * application reaches RUNNING, and a new task's metrics are scraped at once.
 */
final class KafkaStreamsMeters implements AutoCloseable {
    private final MeterRegistry registry;
    private KafkaStreamsMetrics binder;

    KafkaStreamsMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    synchronized void stateChanged(KafkaStreams kafkaStreams, KafkaStreams.State now) {
        if (now == KafkaStreams.State.RUNNING || now == KafkaStreams.State.REBALANCING && binder == null) {
            close();
            binder = new KafkaStreamsMetrics(kafkaStreams);
            binder.bindTo(registry);
        }
    }

    @Override
    public synchronized void close() {
        if (binder != null) {
            binder.close();
            binder = null;
        }
    }
}
