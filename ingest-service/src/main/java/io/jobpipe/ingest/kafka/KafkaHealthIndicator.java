package io.jobpipe.ingest.kafka;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.reactivestreams.Publisher;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Readiness component {@code kafka} ({@code /health}, {@code /health/readiness}): UP when the broker answers now
 * and the topics exist, so a load balancer stops sending webhooks to an instance that could only answer 503.
 * Its details (shown only where configured) say why; they name no host.
 */
@Singleton
@Readiness
public final class KafkaHealthIndicator implements HealthIndicator {
    static final String NAME = "kafka";
    private static final int CHECK_TIMEOUT_MS = 2_000;

    private final Admin admin;
    private final KafkaStartup startup;
    private final JobRequestPublisher publisher;

    public KafkaHealthIndicator(Admin admin, KafkaStartup startup, JobRequestPublisher publisher) {
        this.admin = admin;
        this.startup = startup;
        this.publisher = publisher;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Publishers.fromCompletableFuture(this::check);
    }

    private CompletableFuture<HealthResult> check() {
        return admin.describeCluster(new DescribeClusterOptions().timeoutMs(CHECK_TIMEOUT_MS)).nodes()
                .toCompletionStage().toCompletableFuture()
                .handle((nodes, error) -> error == null ? reachable(nodes) : unreachable(error));
    }

    private HealthResult reachable(Collection<Node> nodes) {
        Map<String, Object> details = details();
        details.put("brokers", nodes.size());
        HealthStatus status = startup.topicsReady() && !nodes.isEmpty() ? HealthStatus.UP : HealthStatus.DOWN;
        return HealthResult.builder(NAME, status).details(details).build();
    }

    private HealthResult unreachable(Throwable error) {
        Map<String, Object> details = details();
        details.put("error", SendFailures.describe(error));
        return HealthResult.builder(NAME, HealthStatus.DOWN).details(details).build();
    }

    private Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("topic", publisher.topic());
        details.put("topicsReady", startup.topicsReady());
        details.put("metadataLoaded", startup.metadataLoaded());
        if (startup.lastError() != null) {
            details.put("startupError", startup.lastError());
        }
        JobRequestPublisher.SendOutcome last = publisher.lastOutcome();
        if (last != null) {
            Map<String, Object> lastSend = new LinkedHashMap<>();
            lastSend.put("at", last.at().toString());
            lastSend.put("acknowledged", last.acknowledged());
            if (last.error() != null) {
                lastSend.put("error", last.error());
            }
            details.put("lastSend", lastSend);
        }
        return details;
    }
}
