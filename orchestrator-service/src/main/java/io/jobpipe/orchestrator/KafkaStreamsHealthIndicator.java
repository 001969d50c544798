package io.jobpipe.orchestrator;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;
import org.reactivestreams.Publisher;

import java.util.Map;

/**
 * Readiness ({@code /health}, {@code /health/readiness}) is UP while the Streams application is RUNNING, or REBALANCING after it has run once. The first
 * rebalance counts as DOWN: until it ends nothing is processed, and {@code ./jobpipe up} must not call the
 * orchestrator ready before it is.
 */
@Singleton
@Readiness
public class KafkaStreamsHealthIndicator implements HealthIndicator {
    static final String NAME = "kafkaStreams";

    private final OrchestratorRuntime runtime;

    public KafkaStreamsHealthIndicator(OrchestratorRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        KafkaStreams.State state = runtime.state();
        boolean up = state == KafkaStreams.State.RUNNING
                || state == KafkaStreams.State.REBALANCING && runtime.hasBeenRunning();
        return Publishers.just(HealthResult.builder(NAME, up ? HealthStatus.UP : HealthStatus.DOWN)
                .details(Map.of("state", state == null ? "NOT_STARTED" : state.name(),
                        "applicationId", runtime.applicationId()))
                .build());
    }
}
