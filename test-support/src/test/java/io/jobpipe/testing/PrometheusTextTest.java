package io.jobpipe.testing;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrometheusTextTest {
    private static final String SCRAPE = """
            # HELP jobpipe_ingest_requests_total Webhook requests
            # TYPE jobpipe_ingest_requests_total counter
            jobpipe_ingest_requests_total{connection="demo",status="202"} 5.0
            jobpipe_ingest_requests_total{connection="a \\"quoted\\", name",status="404"} 1.0
            # TYPE jobpipe_test_seconds histogram
            jobpipe_test_seconds_bucket{le="0.005"} 1
            jobpipe_test_seconds_bucket{le="+Inf"} 2
            jobpipe_test_seconds_count 2
            jobpipe_test_seconds_sum 0.703
            # TYPE process_cpu_usage gauge
            process_cpu_usage NaN 1700000000000
            """;

    @Test
    void shouldReadTypesSamplesAndEscapedLabels() {
        PrometheusText text = PrometheusText.parse(SCRAPE);

        assertThat(text.type("jobpipe_ingest_requests_total")).isEqualTo("counter");
        assertThat(text.value("jobpipe_ingest_requests_total", Map.of("status", "202"))).isEqualTo(5.0);
        assertThat(text.value("jobpipe_ingest_requests_total", Map.of("connection", "a \"quoted\", name")))
                .isEqualTo(1.0);
        assertThat(text.value("jobpipe_test_seconds_bucket", Map.of("le", "+Inf"))).isEqualTo(2.0);
        assertThat(text.sum("jobpipe_test_seconds_bucket", Map.of())).isEqualTo(3.0);
        assertThat(text.value("process_cpu_usage", Map.of())).isNaN();
    }

    @Test
    void shouldRefuseWhatPrometheusCouldNotRead() {
        assertThatThrownBy(() -> PrometheusText.parse("undeclared_metric 1\n"))
                .hasMessageContaining("line 1").hasMessageContaining("before its # TYPE");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE x gauge\nx{le=0.5} 1\n")).hasMessageContaining("bad label");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE x gauge\nx one\n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE 9x gauge\n")).hasMessageContaining("bad TYPE");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE x gauge\nx{a=\"1\"} 1\nx{a=\"2\"} 2\n").value("x", Map.of()))
                .isInstanceOf(AssertionError.class);
    }
}
