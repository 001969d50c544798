package io.jobpipe.status.api;

import io.jobpipe.status.StatusTestApp;
import io.jobpipe.support.openapi.OpenApiCoverage;
import io.micronaut.web.router.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /openapi.yml} describes every route of status's own controllers, and needs no token. */
class OpenApiDescriptionTest {
    private static StatusTestApp app;

    @BeforeAll
    static void start() {
        app = StatusTestApp.withoutKafka("openapi", Map.of());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void shouldServeADescriptionOfEveryRoute() throws Exception {
        HttpResponse<String> description = HttpClient.newHttpClient().send(HttpRequest.newBuilder(app.uri("/openapi.yml"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(description.statusCode()).isEqualTo(200);
        assertThat(description.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/yaml"));
        assertThat(description.body()).contains("title: jobpipe status-service", "/jobs/{jobId}/events:", "/stats:",
                "/events:", "/ops/dead-letters/replay:");
        assertThat(OpenApiCoverage.undescribed(app.bean(Router.class),
                description.body().getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldDescribeTheJobFiltersOfEveryEndpointThatTakesThem() throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(app.uri("/openapi.yml")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Object> paths = (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions()))
                .<Map<String, Object>>load(body).get("paths");

        for (String path : List.of("/jobs", "/events", "/exports/jobs.csv", "/exports/stages.csv")) {
            Map<String, Object> get = (Map<String, Object>) ((Map<String, Object>) paths.get(path)).get("get");
            List<Map<String, Object>> parameters = (List<Map<String, Object>>) get.get("parameters");
            assertThat(parameters).as(path).extracting(p -> p.get("name") + " in " + p.get("in"))
                    .contains("state in query", "pipeline in query", "connection in query", "stage in query",
                            "errorClass in query", "since in query", "until in query", "q in query");
        }
    }

    @Test
    void shouldNameTheRoutesADescriptionLacks() {
        assertThat(OpenApiCoverage.undescribed(app.bean(Router.class), "paths:\n  /stats:\n    get: {}\n"
                .getBytes(StandardCharsets.UTF_8))).contains("GET /jobs/{jobId}", "POST /ops/jobs/{jobId}/replay")
                .doesNotContain("GET /stats");
    }
}
