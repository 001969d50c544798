package io.jobpipe.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.runtime.client.HttpClients;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.ZoneId;

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
        line(out, "job", text(letter, "jobId") + (text(letter, "state") == null ? "" : "   " + text(letter, "state")));
        line(out, "pipeline", orDash(text(letter, "pipeline")) + "   connection " + orDash(text(letter, "connection"))
                + "   event " + orDash(text(letter, "eventType")));
        line(out, "dead-lettered", "at " + orDash(text(letter, "stage")) + " after "
                + count(letter, "attemptsMade", "attempts") + " attempts, "
                + orDash(Times.local(text(letter, "deadLetteredAt"), zone))
                + "   (replays " + count(letter, "replayCount", "replays") + ", parked "
                + (letter.path("parked").asBoolean(false) ? "yes" : "no") + ")");
        line(out, "error", orDash(error(text(letter, "errorClass"), text(letter, "errorMessage"))));
        section(out, "attempts", attempts(letter.path("attempts")), "no failed attempts recorded");
        out.append('\n').append(record(letter.path("record")));
        section(out, "history", history(letter.path("history")), "no events");
        section(out, "replays", replays(letter.path("replays")), "never replayed");
        if (!letter.path("refusedReplays").isEmpty()) {
            section(out, "refused replays", refusedReplays(letter.path("refusedReplays")), "none");
        }
        return out.toString();
    }

    private TextTable attempts(JsonNode attempts) {
        TextTable table = new TextTable("STAGE", "#", "STARTED", "DURATION", "ERROR", "RETRYABLE", "NEXT ATTEMPT");
        for (JsonNode attempt : attempts) {
            table.row(text(attempt, "stage"), text(attempt, "attempt"), Times.local(text(attempt, "startedAt"), zone),
                    attempt.path("durationMs").isNumber() ? Times.duration(attempt.path("durationMs").asLong()) : null,
                    error(text(attempt, "errorType"), text(attempt, "message")), yesNo(attempt.path("retryable")),
                    Times.local(text(attempt, "nextAttemptAt"), zone));
        }
        return table;
    }

    /** The dead-letter record: where it is, its headers and its payload (the StageRequested), pretty-printed. */
    private static String record(JsonNode record) {
        StringBuilder out = new StringBuilder();
        if (record.isMissingNode() || record.isNull()) {
            line(out, "record", "none (not consumed from the dead-letter topic yet)");
            return out.toString();
        }
        line(out, "record", orDash(text(record, "topic")) + "   partition " + orDash(text(record, "partition"))
                + "   offset " + orDash(text(record, "offset")));
        TextTable headers = new TextTable("HEADER", "VALUE");
        record.path("headers").fields().forEachRemaining(header -> headers.row(header.getKey(),
                header.getValue().isTextual() ? header.getValue().asText() : header.getValue()));
        if (headers.size() > 0) {
            out.append(headers.render().indent(2));
        }
        JsonNode value = record.path("value");
        if ((value.isMissingNode() || value.isNull()) && text(record, "rawValueBase64") != null) {
            out.append("payload (not JSON, base64)\n").append(text(record, "rawValueBase64").indent(2));
        } else {
            out.append("payload\n").append(value.toPrettyString().indent(2));
        }
        return out.toString();
    }

    private TextTable history(JsonNode events) {
        TextTable table = new TextTable("SEQ", "TYPE", "TIME");
        for (JsonNode event : events) {
            table.row(text(event, "seq"), text(event, "type"), Times.local(text(event, "occurredAt"), zone));
        }
        return table;
    }

    private TextTable replays(JsonNode replays) {
        TextTable table = new TextTable("REPLAY", "#", "BY", "REASON", "FROM STAGE", "PATCHED", "AT");
        for (JsonNode replay : replays) {
            table.row(text(replay, "replayId"), text(replay, "replayNumber"), text(replay, "requestedBy"),
                    text(replay, "reason"), text(replay, "fromStage"), yesNo(replay.path("inputPatched")),
                    Times.local(text(replay, "at"), zone));
        }
        return table;
    }

    private TextTable refusedReplays(JsonNode refused) {
        TextTable table = new TextTable("REPLAY", "BY", "REASON", "WHY REFUSED", "PARKED", "AT");
        for (JsonNode replay : refused) {
            table.row(text(replay, "replayId"), text(replay, "requestedBy"), text(replay, "reason"),
                    text(replay, "why"), yesNo(replay.path("parked")), Times.local(text(replay, "at"), zone));
        }
        return table;
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append(String.format("%-15s", label)).append(value).append('\n');
    }

    private static void section(StringBuilder out, String title, TextTable table, String whenEmpty) {
        out.append('\n').append(title);
        out.append(table.size() == 0 ? ": " + whenEmpty + "\n" : "\n" + table.render().indent(2));
    }

    /** A count the answer gives as {@code countField}, or as {@code field}: a number, or the list it counts. */
    private static String count(JsonNode node, String countField, String field) {
        JsonNode count = node.path(countField).isNumber() ? node.path(countField) : node.path(field);
        return count.isArray() ? String.valueOf(count.size()) : count.isNumber() ? count.asText() : "-";
    }

    private static String error(String type, String message) {
        return type == null ? message : message == null ? type : type + ": " + message;
    }

    private static String yesNo(JsonNode flag) {
        return flag.isBoolean() ? (flag.asBoolean() ? "yes" : "no") : null;
    }
}
