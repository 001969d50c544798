package io.jobpipe.status.health;

import io.jobpipe.status.config.ReadModelProperties;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Readiness part "read-model": whether PostgreSQL answers {@code SELECT 1} within {@code health-timeout}. Replaces
 * Micronaut's "jdbc" part, which waits as long as the database does (a frozen server held {@code /health} past
 * 30 s). The check runs on its own thread and the answer waits for it at most the timeout, so readiness turns DOWN
 * in time even when the check itself hangs; a check still hanging is not started again, it is the answer.
 */
@Singleton
@Readiness
public class ReadModelHealthIndicator implements HealthIndicator {
    static final String NAME = "read-model";

    private final DataSource dataSource;
    private final Duration timeout;
    private final ExecutorService checker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "jobpipe-status-db-health");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicReference<CompletableFuture<Long>> running = new AtomicReference<>();

    public ReadModelHealthIndicator(DataSource dataSource, ReadModelProperties config) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.timeout = config.healthTimeout();
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Mono.fromCallable(this::check);
    }

    /** The check, answered within the health timeout whatever the database does. */
    public HealthResult check() {
        CompletableFuture<Long> check = running.updateAndGet(current -> current != null && !current.isDone()
                ? current : CompletableFuture.supplyAsync(this::selectOne, checker));
        Map<String, Object> details = new LinkedHashMap<>();
        HealthStatus status;
        try {
            long millis = check.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            details.put("answeredInMs", millis);
            status = HealthStatus.UP;
        } catch (TimeoutException e) {
            details.put("error", "PostgreSQL did not answer SELECT 1 within " + timeout.toMillis() + " ms");
            status = HealthStatus.DOWN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            details.put("error", "interrupted");
            status = HealthStatus.DOWN;
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            details.put("error", cause.getClass().getSimpleName() + ": " + cause.getMessage());
            status = HealthStatus.DOWN;
        }
        return HealthResult.builder(NAME, status).details(details).build();
    }

    private long selectOne() {
        long start = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            // Bounded on the client: a frozen server enforces no statement timeout.
            connection.setNetworkTimeout(Runnable::run, (int) Math.max(1, timeout.toMillis() * 2));
            try (PreparedStatement statement = connection.prepareStatement("SELECT 1")) {
                statement.execute();
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @PreDestroy
    void close() {
        checker.shutdownNow();
    }
}
