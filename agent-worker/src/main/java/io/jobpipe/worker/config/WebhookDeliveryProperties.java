package io.jobpipe.worker.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * {@code jobpipe.worker.webhook.*}: how the {@code notify} stage posts outbound webhooks. Both bounds stay
 * well inside the share group's record lock (30 s by default), so a slow subscriber cannot outlive it.
 *
 * @param connectTimeout the longest a TCP/TLS connection to a subscriber may take
 * @param requestTimeout the longest one delivery may take, from sending to the response status
 */
@ConfigurationProperties("jobpipe.worker.webhook")
public record WebhookDeliveryProperties(
        @Bindable(defaultValue = "5s") Duration connectTimeout,
        @Bindable(defaultValue = "10s") Duration requestTimeout) {
}
