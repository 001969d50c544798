package io.jobpipe.ingest.callback;

import io.jobpipe.core.event.Json;
import io.jobpipe.ingest.request.JsonRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class CallbackBodyTest {

    @Test
    void shouldReadASuccessWithAnyOutputAndAOneLineSummary() throws Exception {
        CallbackBody.Parsed parsed = result("{\"status\":\"succeeded\",\"output\":{\"pages\":7},"
                + "\"summary\":\"parsed\\n 7 pages\",\"log\":\"page 1\\npage 2\\n\",\"extra\":true}");

        assertThat(parsed).isEqualTo(new CallbackBody.Succeeded(Json.MAPPER.readTree("{\"pages\":7}"),
                "parsed 7 pages", "page 1\npage 2\n"));
        assertThat(result("{\"status\":\"succeeded\",\"output\":null}"))
                .isInstanceOfSatisfying(CallbackBody.Succeeded.class, s -> {
                    assertThat(s.output().isNull()).isTrue();
                    assertThat(s.summary()).isEmpty();
                    assertThat(s.log()).isNull();
                });
    }

    @Test
    void shouldReadAFailureAndKeepRetryAfterOnlyWhenRetryable() {
        assertThat(result("{\"status\":\"failed\",\"errorType\":\"ParserBusy\",\"message\":\"try later\","
                + "\"retryable\":true,\"retryAfterSeconds\":30}"))
                .isEqualTo(new CallbackBody.Failed("ParserBusy", "try later", true, 30_000L, null));
        assertThat(result("{\"status\":\"failed\",\"errorType\":\"UnreadablePdf\",\"retryable\":false,"
                + "\"retryAfterSeconds\":30}"))
                .as("no message: the error type stands for it; no retry, so no wait")
                .isEqualTo(new CallbackBody.Failed("UnreadablePdf", "UnreadablePdf", false, null, null));
    }

    @Test
    void shouldKeepTheTailOfALongLogAndCutALongSummaryAndMessage() {
        String log = "x".repeat(CallbackBody.LOG_LIMIT) + "END";
        CallbackBody.Succeeded succeeded = (CallbackBody.Succeeded) result("{\"status\":\"succeeded\",\"output\":1,"
                + "\"summary\":\"" + "s".repeat(500) + "\",\"log\":\"" + log + "\"}");
        CallbackBody.Failed failed = (CallbackBody.Failed) result("{\"status\":\"failed\",\"errorType\":\"E\","
                + "\"retryable\":true,\"message\":\"" + "m".repeat(5000) + "\"}");

        assertThat(succeeded.summary()).hasSize(CallbackBody.SUMMARY_LIMIT).endsWith("…");
        assertThat(succeeded.log()).startsWith("[… earlier lines cut").endsWith("xxEND");
        assertThat(failed.message()).hasSize(CallbackBody.MESSAGE_LIMIT);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                                                         | the body is empty",
            "not json                                                   | not valid JSON",
            "[1,2]                                                      | must be a JSON object",
            "{}                                                         | 'status' must be",
            "{\"status\":\"done\"}                                      | got \"done\"",
            "{\"status\":\"succeeded\"}                                 | needs 'output'",
            "{\"status\":\"succeeded\",\"output\":1,\"summary\":7}      | 'summary' must be a string",
            "{\"status\":\"succeeded\",\"output\":1,\"log\":[]}         | 'log' must be a string",
            "{\"status\":\"failed\",\"retryable\":true}                 | needs 'errorType'",
            "{\"status\":\"failed\",\"errorType\":\"no spaces\",\"retryable\":true} | needs 'errorType'",
            "{\"status\":\"failed\",\"errorType\":\"E\"}                | needs 'retryable'",
            "{\"status\":\"failed\",\"errorType\":\"E\",\"retryable\":\"yes\"} | needs 'retryable'",
            "{\"status\":\"failed\",\"errorType\":\"E\",\"retryable\":true,\"retryAfterSeconds\":-1} | 'retryAfterSeconds'",
            "{\"status\":\"failed\",\"errorType\":\"E\",\"retryable\":true,\"retryAfterSeconds\":1.5} | 'retryAfterSeconds'",
            "{\"status\":\"failed\",\"errorType\":\"E\",\"retryable\":true,\"message\":{}} | 'message' must be a string",
    })
    void shouldSayWhatIsWrongWithABadResult(String body, String reason) {
        assertThat(result(body)).isInstanceOfSatisfying(CallbackBody.Invalid.class,
                invalid -> assertThat(invalid.reason()).contains(reason));
    }

    @Test
    void shouldRefuseALoneSurrogateAsWebhooksDo() {
        assertThat(result("{\"status\":\"succeeded\",\"output\":\"\\ud800\"}"))
                .isInstanceOf(CallbackBody.Invalid.class);
    }

    @Test
    void shouldTakeAnEmptyHeartbeatOrOneWithProgress() {
        assertThat(heartbeat("")).isEqualTo(new CallbackBody.Heartbeat(null));
        assertThat(heartbeat("{}")).isEqualTo(new CallbackBody.Heartbeat(null));
        assertThat(heartbeat("{\"progress\":\"page 3\\nof 7\"}")).isEqualTo(new CallbackBody.Heartbeat("page 3 of 7"));
        assertThat(heartbeat("{\"progress\":3}")).isInstanceOf(CallbackBody.Invalid.class);
        assertThat(heartbeat("[\"page 3\"]")).isInstanceOf(CallbackBody.Invalid.class);
        assertThat(heartbeat("{")).isInstanceOf(CallbackBody.Invalid.class);
    }

    private static CallbackBody.Parsed result(String body) {
        return CallbackBody.result(body.getBytes(StandardCharsets.UTF_8), JsonRules.DEFAULT);
    }

    private static CallbackBody.Parsed heartbeat(String body) {
        return CallbackBody.heartbeat(body.getBytes(StandardCharsets.UTF_8), JsonRules.DEFAULT);
    }
}
