package io.jobpipe.ingest.config;

import io.jobpipe.support.kafka.ProducerTimeouts;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Timeouts of the job-request producer. The defaults make a dead broker answer within about five
 * seconds: a send blocks at most {@code maxBlock} for metadata or buffer space, and a buffered record
 * gives up after {@code deliveryTimeout}.
 *
 * @param maxBlock        Kafka {@code max.block.ms}
 * @param requestTimeout  Kafka {@code request.timeout.ms}
 * @param deliveryTimeout Kafka {@code delivery.timeout.ms}; must cover {@code linger + requestTimeout}
 * @param linger          Kafka {@code linger.ms}: a little batching without visible latency
 */
@ConfigurationProperties("jobpipe.ingest.producer")
public record IngestProducerProperties(
        @Bindable(defaultValue = "2s") Duration maxBlock,
        @Bindable(defaultValue = "2s") Duration requestTimeout,
        @Bindable(defaultValue = "3s") Duration deliveryTimeout,
        @Bindable(defaultValue = "5ms") Duration linger) {

    public IngestProducerProperties {
        try {
            new ProducerTimeouts(linger, maxBlock, requestTimeout, deliveryTimeout);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("jobpipe.ingest.producer." + e.getMessage(), e);
        }
    }

    public ProducerTimeouts timeouts() {
        return new ProducerTimeouts(linger, maxBlock, requestTimeout, deliveryTimeout);
    }

    /** The longest a send can take before Kafka itself reports a failure. */
    public Duration worstCaseSend() {
        return timeouts().worstCaseSend();
    }
}
