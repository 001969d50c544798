package io.jobpipe.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.runtime.client.HttpClients;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.Map;

import static io.jobpipe.runtime.cli.JsonFields.orDash;
import static io.jobpipe.runtime.cli.JsonFields.text;

/** {@code ./jobpipe dlq show JOB}: why a job was dead-lettered, its record and payload, history and replays. */
@Command(name = "show", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show one dead letter: the failure, each attempt and its error, the dead-letter record's "
                + "headers and payload, the job's history and its replays.",
                "Exits 1 when there is no such dead letter or the status service says no."})
final class DlqShowCommand extends OpsApiCommand {

    @Parameters(paramLabel = "JOB", description = "the dead-lettered job's id")
    String jobId;

    @Option(names = "--json", description = "print the API's JSON instead")
    boolean json;

    private final ZoneId zone = ZoneId.systemDefault();

    @Override
    int run(PrintWriter out) throws OpsFailure, InterruptedException {
        JsonNode letter = target.api().get("/ops/dead-letters/" + HttpClients.segment(jobId),
                "show the dead letter of job " + jobId);
        out.print(json ? letter.toPrettyString() + "\n" : describe(letter));
        return 0;
    }

    String describe(JsonNode letter) {
        StringBuilder out = new StringBuilder();
        line(out, "job", text(letter, "jobId"));
        line(out, "pipeline", orDash(text(letter, "pipeline")) + "   connection " + orDash(text(letter, "connection"))
                + "   event " + orDash(text(letter, "eventType")));
        line(out, "dead-lettered", "at " + orDash(text(letter, "stage")) + " after " + orDash(text(letter, "attempts"))
                + " attempts, " + orDash(Times.local(text(letter, "deadLetteredAt"), zone))
                + "   (replays " + replayCount(letter.path("replays")) + ", parked "
                + (letter.path("parked").asBoolean(false) ? "yes" : "no") + ")");
        line(out, "error", orDash(error(text(letter, "errorClass"), text(letter, "errorMessage"))));

        TextTable attempts = new TextTable("STAGE", "#", "STARTED", "DURATION", "ERROR", "RETRYABLE", "NEXT ATTEMPT");
        for (JsonNode attempt : letter.path("attempts")) {
            attempts.row(text(attempt, "stage"), text(attempt, "attempt"), Times.local(text(attempt, "startedAt"), zone),
                    attempt.path("durationMs").isNumber() ? Times.duration(attempt.path("durationMs").asLong()) : null,
                    error(text(attempt, "errorType"), text(attempt, "message")), yesNo(attempt.path("retryable")), Times.local(text(attempt, "nextAttemptAt"), zone));
        }
        section(out, "attempts", attempts, "no attempts recorded");

        JsonNode record = letter.path("record");
        out.append('\n');
        if (record.isMissingNode() || record.isNull()) {
            line(out, "record", "none kept");
        } else {
            line(out, "record", orDash(text(record, "topic")) + "   partition " + orDash(text(record, "partition"))
                    + "   offset " + orDash(text(record, "offset")));
            TextTable headers = new TextTable("HEADER", "VALUE");
            for (Map.Entry<String, JsonNode> header : (Iterable<Map.Entry<String, JsonNode>>) record.path("headers")::fields) {
                headers.row(header.getKey(), header.getValue().isTextual() ? header.getValue().asText() : header.getValue());
            }
            if (headers.size() > 0) {
                out.append(headers.render().indent(2));
            }
            out.append("payload\n").append(record.path("value").toPrettyString().indent(2));
        }

        TextTable history = new TextTable("SEQ", "TYPE", "TIME");
        for (JsonNode event : letter.path("history")) {
            history.row(text(event, "seq"), text(event, "type"), Times.local(text(event, "occurredAt"), zone));
        }
        section(out, "history", history, "no events");

        TextTable replays = new TextTable("REPLAY", "#", "BY", "REASON", "FROM STAGE", "PATCHED", "AT");
        for (JsonNode replay : letter.path("replays")) {
            replays.row(text(replay, "replayId"), text(replay, "replayNumber"), text(replay, "requestedBy"),
                    text(replay, "reason"), text(replay, "fromStage"), yesNo(replay.path("inputPatched")),
                    Times.local(text(replay, "at"), zone));
        }
        section(out, "replays", replays, "never replayed");
        return out.toString();
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append(String.format("%-15s", label)).append(value).append('\n');
    }

    private static void section(StringBuilder out, String title, TextTable table, String whenEmpty) {
        out.append('\n').append(title);
        out.append(table.size() == 0 ? ": " + whenEmpty + "\n" : "\n" + table.render().indent(2));
    }

    /** The list's items count replays; the detail lists them. */
    private static int replayCount(JsonNode replays) {
        return replays.isArray() ? replays.size() : replays.asInt(0);
    }

    private static String error(String type, String message) {
        return type == null ? message : message == null ? type : type + ": " + message;
    }

    private static String yesNo(JsonNode flag) {
        return flag.isBoolean() ? (flag.asBoolean() ? "yes" : "no") : null;
    }
}
