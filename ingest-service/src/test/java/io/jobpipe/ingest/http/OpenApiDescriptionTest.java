package io.jobpipe.ingest.http;

import io.jobpipe.ingest.support.WebhookHttp;
import io.jobpipe.runtime.infra.FreePorts;
import io.jobpipe.support.openapi.OpenApiCoverage;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.web.router.Router;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /openapi.yml} describes every route of ingest's own controllers. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiDescriptionTest implements TestPropertyProvider {
    @Inject
    EmbeddedServer server;

    @Inject
    Router router;

    @Override
    public Map<String, String> getProperties() {
        return Map.of("kafka.bootstrap.servers", "127.0.0.1:" + FreePorts.next(),
                "jobpipe.topics.namespace", "ingest-openapi.", "micronaut.server.port", "-1");
    }

    @Test
    void shouldServeADescriptionOfEveryRoute() {
        HttpResponse<String> description = new WebhookHttp(server.getURI()).get("/openapi.yml");

        assertThat(description.statusCode()).isEqualTo(200);
        assertThat(description.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/yaml"));
        assertThat(description.body()).contains("title: jobpipe ingest-service", "/webhooks/{connection}:");
        // The test-only controller exists in test contexts only; it is not part of the API.
        assertThat(OpenApiCoverage.undescribed(router, description.body().getBytes(StandardCharsets.UTF_8)))
                .isSubsetOf("GET /test-only/fail", "HEAD /test-only/fail");
    }

    @Test
    void shouldNameTheRoutesADescriptionLacks() {
        assertThat(OpenApiCoverage.undescribed(router, "paths: {}".getBytes(StandardCharsets.UTF_8)))
                .contains("POST /webhooks/{connection}", "GET /openapi.yml", "GET /metrics");
    }
}
