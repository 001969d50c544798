package io.jobpipe.worker.agent.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.jobpipe.agent.AgentOutcome;
import io.jobpipe.core.event.Json;

import java.io.IOException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Turns what a command left (exit status, stdout, its last stderr line) into the attempt's outcome:
 * <ul>
 *   <li>exit 0 and stdout one JSON document: the output; its top-level {@code summary} string, if any, is the
 *       one-line summary. Exit 0 with anything else on stdout: {@value #INVALID_OUTPUT}, not retryable (the
 *       program says it succeeded, so running it again would most likely print the same).</li>
 *   <li>any other exit: a failure, retryable or not as {@link ExitCodes} says. When stdout is an error document
 *       {@code {"errorType": "...", "message": "...", "retryAfterSeconds": n}}, its errorType and message name the
 *       failure and a retryable one waits at least {@code retryAfterSeconds}; otherwise it is {@value #FAILED}
 *       with the exit status and the last stderr line.</li>
 * </ul>
 */
public final class CommandOutcomes {
    public static final String FAILED = "CommandFailed";
    public static final String INVALID_OUTPUT = "InvalidCommandOutput";
    private static final Pattern ERROR_TYPE = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");
    private static final int MAX_MESSAGE = 1000;
    private static final ObjectReader ONE_DOCUMENT = Json.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private CommandOutcomes() {
    }

    /**
     * @param program     how the program is named in messages
     * @param lastLogLine the last line it wrote on stderr, or null
     */
    public static AgentOutcome of(String program, int exitStatus, byte[] stdout, String lastLogLine) {
        if (exitStatus == 0) {
            return success(program, stdout);
        }
        boolean retryable = ExitCodes.retryable(exitStatus);
        JsonNode document = parseOrNull(stdout);
        String exited = program + " exited with " + ExitCodes.describe(exitStatus);
        if (document != null && document.path("errorType").isTextual()
                && ERROR_TYPE.matcher(document.path("errorType").asText()).matches()) {
            String message = document.path("message").isTextual() ? document.path("message").asText() : exited;
            Duration retryAfter = retryAfter(document.path("retryAfterSeconds"));
            String errorType = document.path("errorType").asText();
            return retryable && retryAfter != null
                    ? AgentOutcome.retryAfter(errorType, cut(message), retryAfter)
                    : AgentOutcome.failure(errorType, cut(message), retryable);
        }
        String detail = lastLogLine == null || lastLogLine.isBlank() ? "" : "; its last stderr line: " + lastLogLine;
        return AgentOutcome.failure(FAILED, cut(exited + detail), retryable);
    }

    private static AgentOutcome success(String program, byte[] stdout) {
        JsonNode output;
        try {
            output = ONE_DOCUMENT.readTree(stdout);
        } catch (IOException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            return AgentOutcome.failure(INVALID_OUTPUT, cut(program + " exited 0 but its stdout (" + stdout.length
                    + " bytes) is not one JSON document: " + why), false);
        }
        if (output == null || output.isMissingNode()) {
            return AgentOutcome.failure(INVALID_OUTPUT, program + " exited 0 but wrote nothing on stdout; a command"
                    + " agent's output is the one JSON document it prints there", false);
        }
        String summary = output.path("summary").isTextual() ? output.path("summary").asText()
                : program + " exited 0 (" + stdout.length + " bytes of output)";
        return AgentOutcome.success(output, summary);
    }

    private static JsonNode parseOrNull(byte[] stdout) {
        try {
            JsonNode node = ONE_DOCUMENT.readTree(stdout);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static Duration retryAfter(JsonNode seconds) {
        return seconds.isNumber() && seconds.asDouble() >= 0
                ? Duration.ofMillis(Math.round(seconds.asDouble() * 1000)) : null;
    }

    private static String cut(String message) {
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 1) + "…";
    }
}
