package io.jobpipe.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.ZoneId;

import static io.jobpipe.runtime.cli.JsonFields.text;

/** Dead letters as a table: {@code dlq list} and the sample of a bulk dry run. */
final class DeadLetterTable {
    private DeadLetterTable() {
    }

    static TextTable of(Iterable<JsonNode> items, ZoneId zone) {
        TextTable table = new TextTable("JOB", "STAGE", "ERROR CLASS", "ATTEMPTS", "DEAD-LETTERED", "REPLAYS", "PARKED");
        for (JsonNode item : items) {
            table.row(text(item, "jobId"), text(item, "stage"), text(item, "errorClass"), text(item, "attempts"),
                    Times.local(text(item, "deadLetteredAt"), zone), text(item, "replays"),
                    item.path("parked").asBoolean(false) ? "yes" : "no");
        }
        return table;
    }
}
