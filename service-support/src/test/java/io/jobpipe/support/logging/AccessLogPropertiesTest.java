package io.jobpipe.support.logging;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AccessLogPropertiesTest {

    @Test
    void shouldBeOffByDefaultAndLeaveOutHealthAndMetrics() {
        try (ApplicationContext context = ApplicationContext.run()) {
            AccessLogProperties properties = context.getBean(AccessLogProperties.class);
            assertThat(properties.enabled()).isFalse();
            assertThat(properties.excludedPaths()).containsExactly("/health", "/metrics");
        }
    }

    @Test
    void shouldFollowLogRequestsAndItsExcludedPaths() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("LOG_REQUESTS", "true",
                "LOG_REQUESTS_EXCLUDED_PATHS", "/internal"))) {
            AccessLogProperties properties = context.getBean(AccessLogProperties.class);
            assertThat(properties.enabled()).isTrue();
            assertThat(properties.logs("/metrics")).isTrue();
            assertThat(properties.logs("/internal/x")).isFalse();
        }
    }

    @Test
    void shouldTakeACommaSeparatedListOfExcludedPaths() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("jobpipe.logging.requests.enabled", "true",
                "jobpipe.logging.requests.excluded-paths", "/health, /internal"))) {
            AccessLogProperties properties = context.getBean(AccessLogProperties.class);
            assertThat(properties.enabled()).isTrue();
            assertThat(properties.logs("/metrics")).isTrue();
            assertThat(properties.logs("/internal/x")).isFalse();
        }
    }

    @Test
    void shouldLeaveOutAPathAndEverythingBelowItOnly() {
        AccessLogProperties properties = new AccessLogProperties(true, List.of("/health", "/metrics"));

        assertThat(properties.logs("/health")).isFalse();
        assertThat(properties.logs("/health/liveness")).isFalse();
        assertThat(properties.logs("/metrics")).isFalse();
        assertThat(properties.logs("/healthy")).isTrue();
        assertThat(properties.logs("/jobs/job_1")).isTrue();
        assertThat(new AccessLogProperties(false, List.of()).logs("/jobs/job_1")).isFalse();
    }
}
