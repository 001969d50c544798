package io.jobpipe.worker.health;

import io.jobpipe.worker.WorkerService;
import io.jobpipe.worker.config.WorkerHealthProperties;
import io.jobpipe.worker.kafka.WorkerStats;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.reactivestreams.Publisher;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Readiness component {@code agentWorker} ({@code /health}, {@code /health/readiness}): UP when the broker answers, setup is done and every share-consumer thread is alive and has polled
 * recently ({@code jobpipe.worker.health.stale-after}); DOWN otherwise, with the reason in the details (shown
 * only where configured).
 */
@Singleton
@Readiness
public class WorkerHealthIndicator implements HealthIndicator {
    private final WorkerService service;
    private final WorkerStats stats;
    private final WorkerHealthProperties properties;

    public WorkerHealthIndicator(WorkerService service, WorkerStats stats, WorkerHealthProperties properties) {
        this.service = service;
        this.stats = stats;
        this.properties = properties;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean up = true;
        details.put("phase", stats.phase().name());
        details.put("group", service.groupId());
        if (stats.phase() != WorkerStats.Phase.RUNNING) {
            up = false;
            if (stats.lastStartupError() != null) {
                details.put("startupError", stats.lastStartupError());
            }
        }
        try {
            long timeoutMs = properties.checkTimeout().toMillis();
            int nodes = service.admin().describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMs))
                    .nodes().get(timeoutMs + 1000, TimeUnit.MILLISECONDS).size();
            details.put("kafkaNodes", nodes);
        } catch (Exception e) {
            up = false;
            details.put("kafka", "unreachable: " + e.getClass().getSimpleName());
        }
        Instant now = Instant.now();
        Map<String, Object> threads = new LinkedHashMap<>();
        for (Map.Entry<String, Boolean> entry : stats.alive().entrySet()) {
            Instant lastPoll = stats.lastPolls().get(entry.getKey());
            long sincePollMs = lastPoll == null ? -1 : Duration.between(lastPoll, now).toMillis();
            boolean healthy = entry.getValue() && sincePollMs >= 0 && sincePollMs < properties.staleAfter().toMillis();
            up &= healthy;
            Map<String, Object> thread = new LinkedHashMap<>();
            thread.put("alive", entry.getValue());
            thread.put("msSinceLastPoll", sincePollMs);
            String error = stats.loopErrors().get(entry.getKey());
            if (error != null) {
                thread.put("lastError", error);
            }
            threads.put(entry.getKey(), thread);
        }
        details.put("threads", threads);
        details.put("counters", stats.counters());
        return Publishers.just(HealthResult.builder("agentWorker", up ? HealthStatus.UP : HealthStatus.DOWN)
                .details(details).build());
    }
}
