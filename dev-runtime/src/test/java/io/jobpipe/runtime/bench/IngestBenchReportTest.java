package io.jobpipe.runtime.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class IngestBenchReportTest {
    private static final LatencySummary FAST = new LatencySummary(1000, 2, 5, 9.5, 20, 30, 2.5);
    private static final LatencySummary SLOW = new LatencySummary(1000, 20, 45, 50.1, 80, 90, 25);

    private static LoadResult load(Map<Integer, Long> statuses, long transportErrors, double seconds, LatencySummary latency) {
        return new LoadResult(statuses.values().stream().mapToLong(Long::longValue).sum() + transportErrors, statuses,
                transportErrors, seconds, latency, null);
    }

    @Test
    void shouldCountOnlyTwoHundredsAsAcceptedThroughput() {
        LoadResult result = load(Map.of(202, 900L, 429, 80L, 503, 20L), 5, 10, FAST);

        assertThat(result.accepted()).isEqualTo(900);
        assertThat(result.acceptedPerSecond()).isEqualTo(90.0);
        assertThat(result.failed()).isEqualTo(105);
        assertThat(result.rateLimited()).isEqualTo(80);
        assertThat(result.clean()).isFalse();
    }

    @Test
    void shouldPassAtFortyPercentAndFailJustBelow() {
        LoadResult baseline = load(Map.of(202, 10_000L), 0, 10, FAST);
        LoadResult atHalf = load(Map.of(202, 2_000L), 0, 10, FAST);

        IngestBenchReport exactly = new IngestBenchReport(1024, 32, List.of(), List.of(), baseline, load(Map.of(202, 4_000L), 0, 10, FAST), 200, atHalf);
        IngestBenchReport below = new IngestBenchReport(1024, 32, List.of(), List.of(), baseline, load(Map.of(202, 3_999L), 0, 10, FAST), 200, atHalf);

        assertThat(exactly.ratio()).isEqualTo(0.4);
        assertThat(exactly.throughputPassed()).isTrue();
        assertThat(exactly.passed()).isTrue();
        assertThat(below.throughputPassed()).isFalse();
        assertThat(below.passed()).isFalse();
    }

    @Test
    void shouldFailTheLatencyTargetAboveFiftyMillisecondsAtP99() {
        LoadResult baseline = load(Map.of(202, 10_000L), 0, 10, FAST);
        LoadResult max = load(Map.of(202, 8_000L), 0, 10, FAST);

        IngestBenchReport report = new IngestBenchReport(1024, 32, List.of(), List.of(), baseline, max, 400, load(Map.of(202, 4_000L), 0, 10, SLOW));

        assertThat(report.throughputPassed()).isTrue();
        assertThat(report.latencyPassed()).isFalse();
        assertThat(report.passed()).isFalse();
    }

    @Test
    void shouldNeverPassWhenIngestWasRateLimitedOrTheBaselineAnsweredNothing() {
        LoadResult baseline = load(Map.of(202, 10_000L), 0, 10, FAST);
        LoadResult limited = load(Map.of(202, 9_000L, 429, 3_000L), 0, 10, FAST);
        LoadResult atHalf = load(Map.of(202, 4_500L), 0, 10, FAST);

        IngestBenchReport report = new IngestBenchReport(1024, 32, List.of(), List.of(), baseline, limited, 450, atHalf);
        IngestBenchReport noBaseline = new IngestBenchReport(1024, 32, List.of(), List.of(), load(Map.of(), 3, 10, LatencySummary.EMPTY),
                limited, 450, atHalf);

        assertThat(report.rateLimited()).isTrue();
        assertThat(report.throughputPassed()).isTrue();
        assertThat(report.passed()).isFalse();
        assertThat(noBaseline.ratio()).isZero();
        assertThat(noBaseline.throughputPassed()).isFalse();
    }

    @Test
    void shouldWriteTheVerdictsAndDerivedFiguresToJson() throws Exception {
        LoadResult baseline = load(Map.of(202, 10_000L), 0, 10, FAST);
        IngestBenchReport report = new IngestBenchReport(1024, 32, List.of(1_000.0), List.of(500.0), baseline,
                load(Map.of(202, 5_000L, 429, 1L), 0, 10, FAST), 250, load(Map.of(202, 2_500L), 0, 10, FAST));

        JsonNode json = Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(report));

        assertThat(json.path("ratio").asDouble()).isEqualTo(0.5);
        assertThat(json.path("throughputPassed").asBoolean()).isTrue();
        assertThat(json.path("latencyPassed").asBoolean()).isTrue();
        assertThat(json.path("rateLimited").asBoolean()).isTrue();
        assertThat(json.path("passed").asBoolean()).isFalse();
        assertThat(json.path("ingest").path("acceptedPerSecond").asDouble()).isEqualTo(500.0);
        assertThat(json.path("ingest").path("failed").asLong()).isEqualTo(1);
        assertThat(json.path("ingestRounds").get(0).asDouble()).isEqualTo(500.0);
    }

    @Test
    void shouldBuildAJsonBodyOfExactlyTheAskedSize() throws Exception {
        byte[] body = IngestBench.jsonBody(1024);

        assertThat(body).hasSize(1024);
        JsonNode json = Json.MAPPER.readTree(new String(body, StandardCharsets.UTF_8));
        assertThat(json.path("repository").path("full_name").asText()).isEqualTo("jobpipe/bench");
    }
}
