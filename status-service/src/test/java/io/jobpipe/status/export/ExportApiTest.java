package io.jobpipe.status.export;

import io.jobpipe.core.event.JobEvent;
import io.jobpipe.status.StatusTestApp;
import io.jobpipe.status.TestEvents;
import io.jobpipe.status.ops.OpsClient;
import io.jobpipe.status.store.JobEventProjector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /exports/jobs.csv} and {@code /exports/stages.csv} on the real read model (embedded PostgreSQL). */
class ExportApiTest {
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    /** More rows than one cursor fetch, so the export must go on past its first chunk. */
    private static final int MANY = CsvExports.FETCH_ROWS * 2 + 7;
    private static StatusTestApp app;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        app = StatusTestApp.withoutKafka("exports", Map.of("jobpipe.ops.tokens", OpsClient.TOKENS));
        JobEventProjector projector = app.bean(JobEventProjector.class);
        List<JobEvent> events = new ArrayList<>(TestEvents.successfulRun("job-done", T0));
        events.addAll(TestEvents.deadLetteredAtEnrich("job-dead", T0.plusSeconds(60)));
        TestEvents.projectAndWrite(projector, events);
        List<JobEvent> accepted = new ArrayList<>();
        for (int i = 0; i < MANY; i++) {
            accepted.add(TestEvents.accepted(String.format("job-many-%05d", i), T0.plusSeconds(3600 + i)));
        }
        TestEvents.projectAndWrite(projector, accepted);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(app.uri(path)).header("Authorization", "Bearer " + OpsClient.READ_TOKEN)
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> lines(String body) throws Exception {
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                new java.io.ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))) {
            reader.lines().forEach(lines::add);
        }
        return lines;
    }

    @Test
    void shouldExportOneRowPerJobOldestFirstWithItsOutcome() throws Exception {
        HttpResponse<String> response = get("/exports/jobs.csv?until=2025-03-01T13:00:00Z");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        assertThat(response.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"jobs.csv\"");
        assertThat(lines(response.body())).containsExactly(
                "job_id,pipeline,connection,event_type,delivery_id,state,current_stage,error,created_at,finished_at,duration_ms,"
                        + "trace_id,error_class,subject",
                "job-done,default,github,push,delivery-job-done,COMPLETED,,,2025-03-01T12:00:00Z,2025-03-01T12:00:09Z,9000,"
                        + TestEvents.TRACE_ID + ",,",
                "job-dead,default,github,push,delivery-job-dead,DEAD_LETTERED,enrich,HttpError: 503 from agent,"
                        + "2025-03-01T12:01:00Z,2025-03-01T12:01:09Z,9000," + TestEvents.TRACE_ID + ",HttpError,");
    }

    @Test
    void shouldExportEveryStageOfEachJobWithAttemptsAndErrors() throws Exception {
        List<String> lines = lines(get("/exports/stages.csv?state=DEAD_LETTERED").body());

        assertThat(lines).containsExactly(
                "job_id,pipeline,connection,stage,position,status,attempts,started_at,ended_at,duration_ms,summary,error",
                "job-dead,default,github,validate,0,SUCCEEDED,1,2025-03-01T12:01:01Z,2025-03-01T12:01:02Z,900,payload valid,",
                // A stage's start is its first attempt's; its duration, its last attempt's.
                "job-dead,default,github,normalize,1,SUCCEEDED,2,2025-03-01T12:01:03Z,2025-03-01T12:01:06Z,700,github push,",
                "job-dead,default,github,enrich,2,DEAD_LETTERED,5,2025-03-01T12:01:07Z,2025-03-01T12:01:08Z,500,,"
                        + "HttpError: 503 from agent");
    }

    @Test
    void shouldStreamAnExportLongerThanOneCursorFetchWhole() throws Exception {
        List<String> lines = lines(get("/exports/jobs.csv?state=ACCEPTED").body());

        assertThat(lines).hasSize(1 + MANY);
        assertThat(lines.get(1)).startsWith("job-many-00000,");
        assertThat(lines.get(MANY)).startsWith(String.format("job-many-%05d,", MANY - 1));
    }

    @Test
    void shouldFilterAnExportLikeTheJobListByErrorClassAndStage() throws Exception {
        assertThat(lines(get("/exports/jobs.csv?errorClass=HttpError&stage=enrich").body())).hasSize(2)
                .last().asString().startsWith("job-dead,");
        assertThat(lines(get("/exports/jobs.csv?errorClass=Timeout").body())).hasSize(1);
    }

    @Test
    void shouldAnswer401WithoutAToken() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(app.uri("/exports/jobs.csv")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("needs a token");
    }

    @Test
    void shouldRefuseABadFilterWithAProblemAndNoCsv() throws Exception {
        HttpResponse<String> badState = get("/exports/jobs.csv?state=SLEEPING");
        HttpResponse<String> badTime = get("/exports/stages.csv?since=yesterday");
        HttpResponse<String> backwards = get("/exports/jobs.csv?since=2025-03-02T00:00:00Z&until=2025-03-01T00:00:00Z");

        for (HttpResponse<String> response : List.of(badState, badTime, backwards)) {
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
        assertThat(badState.body()).contains("state must be one or more");
        assertThat(badTime.body()).contains("since must be an ISO-8601 instant");
        assertThat(backwards.body()).contains("until must be after since");
    }
}
