package io.jobpipe.worker.agent.command;

import io.jobpipe.agent.AgentOutcome;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.jobpipe.worker.agent.TestRequests.json;
import static org.assertj.core.api.Assertions.assertThat;

class CommandOutcomesTest {
    private static final String PROGRAM = "command ./parse.sh";

    private static AgentOutcome outcome(int exit, String stdout, String lastLine) {
        return CommandOutcomes.of(PROGRAM, exit, stdout.getBytes(StandardCharsets.UTF_8), lastLine);
    }

    @Test
    void shouldTakeOneJsonDocumentOnExitZeroAsTheOutput() {
        assertThat(outcome(0, "{\"pages\": 3}\n", null))
                .isEqualTo(AgentOutcome.success(json("{\"pages\": 3}"), PROGRAM + " exited 0 (13 bytes of output)"));
        assertThat(outcome(0, "{\"summary\": \"parsed 3 pages\", \"pages\": 3}", null))
                .isEqualTo(AgentOutcome.success(json("{\"summary\": \"parsed 3 pages\", \"pages\": 3}"), "parsed 3 pages"));
        assertThat(((AgentOutcome.Success) outcome(0, "[1, 2]", null)).output()).isEqualTo(json("[1, 2]"));
    }

    @Test
    void shouldFailNonRetryablyWhenExitZeroComesWithoutOneJsonDocument() {
        for (String stdout : new String[]{"", "  \n", "done", "{\"a\": 1} {\"b\": 2}", "{\"a\": "}) {
            AgentOutcome.Failure failure = (AgentOutcome.Failure) outcome(0, stdout, null);

            assertThat(failure.errorType()).as(stdout).isEqualTo(CommandOutcomes.INVALID_OUTPUT);
            assertThat(failure.retryable()).isFalse();
            assertThat(failure.message()).startsWith(PROGRAM + " exited 0 but");
        }
    }

    @Test
    void shouldClassifyNonZeroExitsBySysexits() {
        assertThat(outcome(75, "", "parser queue is full")).isEqualTo(AgentOutcome.failure(CommandOutcomes.FAILED,
                PROGRAM + " exited with 75 (EX_TEMPFAIL: temporary failure, try again); its last stderr line: "
                        + "parser queue is full", true));
        assertThat(outcome(65, "", null)).isEqualTo(AgentOutcome.failure(CommandOutcomes.FAILED,
                PROGRAM + " exited with 65 (EX_DATAERR: the input data was incorrect)", false));
        assertThat(((AgentOutcome.Failure) outcome(64, "", null)).retryable()).isFalse();
        assertThat(((AgentOutcome.Failure) outcome(127, "", null)).retryable()).isFalse();
        assertThat(((AgentOutcome.Failure) outcome(1, "Traceback", null)).retryable()).isTrue();
        assertThat(((AgentOutcome.Failure) outcome(137, "", null)).message()).contains("137 (killed by signal 9)");
    }

    @Test
    void shouldNameTheFailureAfterAnErrorDocumentOnStdout() {
        assertThat(outcome(75, "{\"errorType\": \"ParserBusy\", \"message\": \"queue full\", \"retryAfterSeconds\": 7}", null))
                .isEqualTo(AgentOutcome.retryAfter("ParserBusy", "queue full", Duration.ofSeconds(7)));
        assertThat(outcome(65, "{\"errorType\": \"UnreadablePdf\", \"message\": \"page 2 is encrypted\", "
                + "\"retryAfterSeconds\": 7}", null))
                .as("the exit status decides whether it is retried; a permanent failure waits for nothing")
                .isEqualTo(AgentOutcome.failure("UnreadablePdf", "page 2 is encrypted", false));
        assertThat(outcome(1, "{\"errorType\": \"Boom\"}", null))
                .isEqualTo(AgentOutcome.failure("Boom", PROGRAM + " exited with 1", true));
        assertThat(((AgentOutcome.Failure) outcome(1, "{\"errorType\": \"not a type!\"}", null)).errorType())
                .as("an errorType that is no name is not taken").isEqualTo(CommandOutcomes.FAILED);
    }
}
