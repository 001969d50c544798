package io.jobpipe.status.health;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.status.SseClient;
import io.jobpipe.status.StatusTestApp;
import io.jobpipe.support.http.ProblemErrorResponseProcessor;
import io.micronaut.context.ApplicationContext;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.annotation.Liveness;
import io.micronaut.management.health.indicator.annotation.Readiness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The status service as deployed: health answers anyone, with the status only unless details are configured;
 * liveness and readiness are separate, and the projection counts as readiness.
 */
class HealthEndpointTest {
    private static StatusTestApp app;

    @BeforeAll
    static void start() {
        // The deployed default, not the test default that shows details.
        app = StatusTestApp.withoutKafka("health", Map.of("endpoints.health.details-visible", "AUTHENTICATED"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void shouldAnswerLivenessAndReadinessSeparately() throws Exception {
        assertThat(SseClient.get(app.uri("/health/liveness")).status()).isEqualTo(200);
        assertThat(SseClient.get(app.uri("/health/readiness")).status()).isEqualTo(200);
        assertThat(SseClient.get(app.uri("/health")).status()).isEqualTo(200);
    }

    @Test
    void shouldShowAnonymousCallersTheStatusOnly() throws Exception {
        for (String path : new String[] {"/health", "/health/readiness", "/health/liveness"}) {
            SseClient.Reply reply = SseClient.get(app.uri(path));
            JsonNode health = Json.MAPPER.readTree(reply.body());
            assertThat(health.get("status").asText()).as(path).isEqualTo("UP");
            // status writes absent members as null (jackson.serialization-inclusion: always)
            assertThat(health.path("details").isObject()).as(path + " " + reply.body()).isFalse();
            assertThat(reply.body()).as(path).doesNotContain("jdbc:", "projection", "listening");
        }
    }

    @Test
    void shouldCountTheProjectionAsReadinessAndUseServiceSupportsProblems() {
        ApplicationContext context = app.bean(ApplicationContext.class);
        assertThat(context.getBeansOfType(HealthIndicator.class, Qualifiers.byStereotype(Readiness.class)))
                .hasAtLeastOneElementOfType(ProjectionHealthIndicator.class);
        assertThat(context.getBeansOfType(HealthIndicator.class, Qualifiers.byStereotype(Liveness.class)))
                .noneMatch(ProjectionHealthIndicator.class::isInstance);
        assertThat(context.findBean(ProblemErrorResponseProcessor.class)).isPresent();
    }
}
