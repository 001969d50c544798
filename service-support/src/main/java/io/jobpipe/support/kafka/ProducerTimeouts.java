package io.jobpipe.support.kafka;

import java.time.Duration;

/**
 * The deadlines of a producer's send, validated together because Kafka refuses a delivery timeout shorter
 * than linger plus request timeout.
 *
 * @param linger          Kafka {@code linger.ms}: a little batching without visible latency
 * @param maxBlock        Kafka {@code max.block.ms}: the longest {@code send()} blocks for metadata or buffer space
 * @param requestTimeout  Kafka {@code request.timeout.ms}
 * @param deliveryTimeout Kafka {@code delivery.timeout.ms}: a buffered record gives up after it
 */
public record ProducerTimeouts(Duration linger, Duration maxBlock, Duration requestTimeout, Duration deliveryTimeout) {

    public ProducerTimeouts {
        if (deliveryTimeout.compareTo(linger.plus(requestTimeout)) < 0) {
            throw new IllegalArgumentException("delivery-timeout (" + deliveryTimeout
                    + ") must be at least linger + request-timeout (" + linger.plus(requestTimeout) + ")");
        }
    }

    /** The longest a send can take before Kafka itself reports a failure. */
    public Duration worstCaseSend() {
        return maxBlock.plus(deliveryTimeout);
    }
}
