package io.jobpipe.ingest.config;

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
public record ProducerSettings(
        @Bindable(defaultValue = "2s") Duration maxBlock,
        @Bindable(defaultValue = "2s") Duration requestTimeout,
        @Bindable(defaultValue = "4s") Duration deliveryTimeout,
        @Bindable(defaultValue = "5ms") Duration linger) {

    public ProducerSettings {
        if (deliveryTimeout.compareTo(linger.plus(requestTimeout)) < 0) {
            throw new IllegalArgumentException("jobpipe.ingest.producer.delivery-timeout (" + deliveryTimeout
                    + ") must be at least linger + request-timeout (" + linger.plus(requestTimeout) + ")");
        }
    }

    /** The longest a send can take before Kafka itself reports a failure. */
    public Duration worstCaseSend() {
        return maxBlock.plus(deliveryTimeout);
    }
}
