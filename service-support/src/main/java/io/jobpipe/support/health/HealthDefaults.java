package io.jobpipe.support.health;

import java.util.Map;

/**
 * How every service's health endpoint behaves, unless a service or its operator configures otherwise:
 * {@code /health}, {@code /health/liveness} and {@code /health/readiness} answer anyone without a login
 * (probes and load balancers have none), but with the status only. The details (broker counts, stream
 * states, errors) can name hosts and carry raw exception text, so they are shown only when configured:
 * {@code endpoints.health.details-visible=ANONYMOUS} (env {@code ENDPOINTS_HEALTH_DETAILS_VISIBLE}).
 *
 * <p>Liveness is the process itself (Micronaut's deadlocked-threads check): a failed liveness probe means
 * "restart me". Every other indicator, Kafka, Streams, the projection and the database, is readiness:
 * "send me no work now", which a restart would not cure.
 */
public final class HealthDefaults {
    private HealthDefaults() {
    }

    public static Map<String, Object> properties() {
        return Map.of(
                "endpoints.health.enabled", true,
                "endpoints.health.sensitive", false,
                // AUTHENTICATED: no service has a login, so no anonymous caller sees details.
                "endpoints.health.details-visible", "AUTHENTICATED");
    }
}
