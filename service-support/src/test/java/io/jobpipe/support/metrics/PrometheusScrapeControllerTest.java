package io.jobpipe.support.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.jobpipe.testing.PrometheusText;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusScrapeControllerTest {
    private static EmbeddedServer server;
    private static HttpClient client;

    @BeforeAll
    static void start() {
        server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.application.name", "scrape-test",
                "micronaut.server.port", -1));
        client = server.getApplicationContext().createBean(HttpClient.class, server.getURL());
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @Test
    void shouldServeThePrometheusTextFormatAtMetrics() {
        HttpResponse<String> response = client.toBlocking().exchange(HttpRequest.GET("/metrics"), String.class);

        assertThat(response.getHeaders().get("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        PrometheusText text = PrometheusText.parse(response.body());
        assertThat(text.type("jvm_memory_used_bytes")).isEqualTo("gauge");
        assertThat(text.type("jvm_gc_memory_allocated_bytes_total")).isEqualTo("counter");
        assertThat(text.type("process_cpu_usage")).isEqualTo("gauge");
        assertThat(text.samples("jvm_memory_used_bytes")).allSatisfy(sample ->
                assertThat(sample.labels()).containsEntry("service", "scrape-test"));
    }

    @Test
    void shouldGiveJobpipeTimersHistogramBucketsInSeconds() {
        MeterRegistry registry = server.getApplicationContext().getBean(MeterRegistry.class);
        Timer timer = Timer.builder("jobpipe.test.duration").tag("stage", "validate").register(registry);
        timer.record(Duration.ofMillis(3));
        timer.record(Duration.ofMillis(700));
        client.toBlocking().retrieve("/metrics");

        PrometheusText text = PrometheusText.parse(client.toBlocking().retrieve("/metrics"));

        assertThat(text.type("jobpipe_test_duration_seconds")).isEqualTo("histogram");
        assertThat(text.value("jobpipe_test_duration_seconds_bucket",
                Map.of("stage", "validate", "le", "0.005"))).isEqualTo(1.0);
        assertThat(text.value("jobpipe_test_duration_seconds_bucket",
                Map.of("stage", "validate", "le", "1.0"))).isEqualTo(2.0);
        assertThat(text.value("jobpipe_test_duration_seconds_bucket",
                Map.of("stage", "validate", "le", "+Inf"))).isEqualTo(2.0);
        assertThat(text.value("jobpipe_test_duration_seconds_count", Map.of("stage", "validate"))).isEqualTo(2.0);
        assertThat(text.samples("jobpipe_test_duration_seconds_bucket"))
                .hasSize(LatencyHistograms.BUCKETS.size() + 1);
        assertThat(text.samples("http_server_requests_seconds_count", Map.of("uri", "/metrics")))
                .as("Micronaut's HTTP server timer, without buckets: it is not a jobpipe timer").isNotEmpty();
        assertThat(text.samples("http_server_requests_seconds_bucket")).isEmpty();
    }

    @Test
    void shouldLeaveNoSecondMetricsEndpoint() {
        assertThat(server.getApplicationContext().getProperty("endpoints.metrics.enabled", Boolean.class))
                .contains(false);
    }
}
