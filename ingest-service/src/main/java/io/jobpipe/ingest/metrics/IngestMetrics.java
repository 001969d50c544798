package io.jobpipe.ingest.metrics;

import io.jobpipe.ingest.connection.Connections;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ingest's meters (Prometheus names):
 * <ul>
 *   <li>{@code jobpipe_ingest_requests_total{connection, status}}: webhook requests answered, by HTTP status;</li>
 *   <li>{@code jobpipe_ingest_request_duration_seconds{connection, status_class}}: histogram, arrival to response;</li>
 *   <li>{@code jobpipe_ingest_requests_in_flight}: webhook requests received and not yet answered;</li>
 *   <li>{@code jobpipe_ingest_produce_duration_seconds{outcome}}: histogram, from handing the job request to the
 *       producer until Kafka acknowledged it ({@code acknowledged}) or it failed ({@code failed});</li>
 *   <li>{@code jobpipe_ingest_callbacks_total{outcome}}: agents' callbacks answered: {@code succeeded},
 *       {@code failed} and {@code heartbeat} (recorded), {@code invalid_token}, {@code expired}, {@code bad_request},
 *       {@code too_large}, {@code unsupported_media_type}, {@code rate_limited}, {@code unavailable},
 *       {@code disabled}, {@code not_found}, {@code error}, {@code other}.</li>
 * </ul>
 * The {@code connection} label is a configured connection's name or {@code unknown}: the path is the sender's
 * choice, and a label per invented name would grow without bound.
 */
@Singleton
public final class IngestMetrics {
    static final String REQUESTS = "jobpipe.ingest.requests";
    static final String REQUEST_DURATION = "jobpipe.ingest.request.duration";
    static final String IN_FLIGHT = "jobpipe.ingest.requests.in.flight";
    static final String PRODUCE_DURATION = "jobpipe.ingest.produce.duration";
    static final String CALLBACKS = "jobpipe.ingest.callbacks";
    public static final String UNKNOWN_CONNECTION = "unknown";

    private final MeterRegistry registry;
    private final Connections connections;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Timer> requestDurations = new ConcurrentHashMap<>();
    private final Map<String, Counter> callbacks = new ConcurrentHashMap<>();
    private final Timer acknowledged;
    private final Timer failed;

    public IngestMetrics(MeterRegistry registry, Connections connections) {
        this.registry = registry;
        this.connections = connections;
        Gauge.builder(IN_FLIGHT, inFlight, AtomicInteger::get)
                .description("Webhook requests received and not yet answered")
                .register(registry);
        this.acknowledged = produceTimer("acknowledged");
        this.failed = produceTimer("failed");
    }

    public void requestStarted() {
        inFlight.incrementAndGet();
    }

    /** A webhook request was answered with {@code status} after {@code nanos}; {@code connection} may be null. */
    public void requestFinished(String connection, int status, long nanos) {
        inFlight.decrementAndGet();
        String label = connection != null && connections.find(connection).isPresent() ? connection : UNKNOWN_CONNECTION;
        requests.computeIfAbsent(label + ' ' + status, key -> Counter.builder(REQUESTS)
                        .description("Webhook requests answered, by connection and HTTP status")
                        .tag("connection", label)
                        .tag("status", Integer.toString(status))
                        .register(registry))
                .increment();
        String statusClass = (status / 100) + "xx";
        requestDurations.computeIfAbsent(label + ' ' + statusClass, key -> Timer.builder(REQUEST_DURATION)
                        .description("Webhook requests from arrival to response")
                        .tag("connection", label)
                        .tag("status_class", statusClass)
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** One job request's send ended after {@code nanos}: acknowledged by Kafka, or not. */
    public void produced(boolean wasAcknowledged, long nanos) {
        (wasAcknowledged ? acknowledged : failed).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A callback request was answered; {@code outcome} is one of a fixed set of labels (class Javadoc). */
    public void callback(String outcome) {
        callbacks.computeIfAbsent(outcome, key -> Counter.builder(CALLBACKS)
                        .description("Agents' callbacks answered, by outcome")
                        .tag("outcome", outcome)
                        .register(registry))
                .increment();
    }

    private Timer produceTimer(String outcome) {
        return Timer.builder(PRODUCE_DURATION)
                .description("Job request sends, until Kafka acknowledged them (acks=all) or they failed")
                .tag("outcome", outcome)
                .register(registry);
    }
}
