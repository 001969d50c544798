package io.jobpipe.worker.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * {@code jobpipe.worker.webhook.*}: how the {@code notify} stage posts outbound webhooks (through the outbound client,
 * {@link OutboundProperties}). The bound stays well inside the share group's record lock (15 s), so a slow
 * subscriber cannot outlive it.
 *
 * @param requestTimeout the longest one delivery may take, from connecting to the end of the response
 */
@ConfigurationProperties("jobpipe.worker.webhook")
public record WebhookDeliveryProperties(@Bindable(defaultValue = "10s") Duration requestTimeout) {
}
