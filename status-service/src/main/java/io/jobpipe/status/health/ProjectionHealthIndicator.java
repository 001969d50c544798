package io.jobpipe.status.health;

import io.jobpipe.status.config.ProjectionProperties;
import io.jobpipe.status.consumer.ProjectionState;
import io.jobpipe.status.live.JobEventNotifier;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Readiness part "jobpipe-status" ({@code /health}, {@code /health/readiness}): whether the projection consumer runs and its last batch reached the
 * database, and whether live SSE notifications flow. (Kafka connectivity itself is micronaut-kafka's
 * "kafka" part; the datasource is micronaut's "jdbc" part.)
 */
@Singleton
@Readiness
public class ProjectionHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {
    private final ProjectionState state;
    private final ProjectionProperties config;
    private final JobEventNotifier notifier;

    public ProjectionHealthIndicator(ProjectionState state, ProjectionProperties config, JobEventNotifier notifier) {
        this.state = state;
        this.config = config;
        this.notifier = notifier;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean projectionOk = !config.enabled() || (state.running() && state.consecutiveFailures() == 0);
        details.put("projection", !config.enabled() ? "disabled" : state.running() ? "running" : "stopped");
        if (config.enabled()) {
            details.put("assignedPartitions", state.assignedPartitions());
            details.put("lastPollAt", String.valueOf(state.lastPollAt()));
            details.put("lastCommitAt", String.valueOf(state.lastCommitAt()));
            details.put("eventsApplied", state.applied());
            details.put("eventsRepeated", state.duplicates());
            details.put("eventsSkipped", state.skipped());
            details.put("seqGaps", state.gaps());
            details.put("consecutiveFailures", state.consecutiveFailures());
            if (state.lastError() != null) {
                details.put("lastError", state.lastError());
            }
        }
        details.put("liveNotifications", notifier.listening() ? "listening" : "reconnecting");
        details.put("sseSubscribers", notifier.subscriberCount());
        healthStatus = projectionOk && notifier.listening() ? HealthStatus.UP : HealthStatus.DOWN;
        return details;
    }

    @Override
    protected String getName() {
        return "jobpipe-status";
    }
}
