package io.jobpipe.ingest.limits;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Token buckets (Bucket4j, in this process) per connection and per client address on a connection. A request
 * takes one token from its client's bucket, then one from its connection's; refused by the connection, it gives
 * the client's token back, so a busy connection does not also use up its clients' allowance.
 *
 * <p>Client buckets are bounded: past {@code maxClients} the full ones (which hold no memory of recent requests)
 * are dropped, and if that is not enough, all of them, so a flood of new addresses costs a fresh allowance each,
 * never unbounded memory. Each replica limits on its own: N replicas behind a balancer allow up to N times the rate.
 */
public final class RateLimiter {
    private static final long SWEEP_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final int maxClients;
    private final Map<String, Limited> connections = new ConcurrentHashMap<>();
    private final Map<String, Limited> clients = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep = new AtomicLong(System.nanoTime());

    public RateLimiter(int maxClients) {
        if (maxClients < 1) {
            throw new IllegalArgumentException("max-tracked-clients must be positive, got " + maxClients);
        }
        this.maxClients = maxClients;
    }

    /** What the limiter decided; {@code scope} names the limit that refused ({@code connection} or {@code client}). */
    public record Decision(boolean allowed, String scope, Rate rate, long remaining, long retryAfterSeconds) {
        static final Decision ALLOWED = new Decision(true, null, null, 0, 0);
    }

    public Decision tryAcquire(String connection, Rate connectionRate, String client, Rate clientRate) {
        Limited byClient = clients.computeIfAbsent(connection + ' ' + client, key -> new Limited(clientRate));
        sweepIfCrowded();
        ConsumptionProbe clientProbe = byClient.bucket.tryConsumeAndReturnRemaining(1);
        if (!clientProbe.isConsumed()) {
            return refused("client", clientRate, clientProbe);
        }
        Limited byConnection = connections.computeIfAbsent(connection, key -> new Limited(connectionRate));
        ConsumptionProbe connectionProbe = byConnection.bucket.tryConsumeAndReturnRemaining(1);
        if (!connectionProbe.isConsumed()) {
            byClient.bucket.addTokens(1);
            return refused("connection", connectionRate, connectionProbe);
        }
        return Decision.ALLOWED;
    }

    int trackedClients() {
        return clients.size();
    }

    private static Decision refused(String scope, Rate rate, ConsumptionProbe probe) {
        long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
        return new Decision(false, scope, rate, probe.getRemainingTokens(), seconds);
    }

    private void sweepIfCrowded() {
        if (clients.size() <= maxClients) {
            return;
        }
        long last = lastSweep.get();
        long now = System.nanoTime();
        if (now - last < SWEEP_INTERVAL_NANOS || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        clients.values().removeIf(Limited::full);
        if (clients.size() > maxClients) {
            clients.clear();
        }
    }

    private static final class Limited {
        private final Bucket bucket;
        private final long capacity;

        Limited(Rate rate) {
            this.capacity = rate.burst();
            this.bucket = Bucket.builder()
                    .addLimit(limit -> limit.capacity(rate.burst())
                            .refillGreedy(rate.perSecond(), Duration.ofSeconds(1)))
                    .build();
        }

        boolean full() {
            return bucket.getAvailableTokens() >= capacity;
        }
    }
}
