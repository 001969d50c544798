package io.jobpipe.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.runtime.client.HttpClients;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.Objects;

import static io.jobpipe.runtime.cli.JsonFields.text;

/** {@code ./jobpipe dlq list}: dead letters matching a filter, newest first, one page or all of them. */
@Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"List dead-lettered jobs as a table: job, stage, error class, attempts, when, replays, parked.",
                "Exits 1 when the status service says no or cannot be reached."},
        footer = {"", "Examples:",
                "  ./jobpipe dlq list --stage enrich --since 1h",
                "  ./jobpipe dlq list --error-class Timeout --all --json > timeouts.json"})
final class DlqListCommand extends OpsApiCommand {

    @Mixin
    JobFilterOptions filter;

    @Option(names = "--limit", defaultValue = "50", description = "dead letters per page (default: ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--cursor", description = "start at this cursor (printed under a page that has more)")
    String cursor;

    @Option(names = "--all", description = "follow the pages to the end")
    boolean all;

    @Option(names = "--json", description = "print the API's JSON ({\"items\":[…],\"next\":…}) instead of a table")
    boolean json;

    private final ZoneId zone = ZoneId.systemDefault();

    @Override
    int run(PrintWriter out) throws OpsFailure, InterruptedException {
        if (limit < 1) {
            throw OpsFailure.usage("--limit must be at least 1");
        }
        OpsApi api = target.api();
        ArrayNode items = Json.MAPPER.createArrayNode();
        String next = cursor;
        do {
            String page = next;
            JsonNode answer = api.get(path(page), "list dead letters");
            answer.path("items").forEach(items::add);
            next = text(answer, "next");
            if (Objects.equals(next, page)) {
                next = null;
            }
        } while (all && next != null);
        out.print(json ? pretty(items, next) : table(items, next));
        return 0;
    }

    private String path(String page) {
        String query = filter.toQuery();
        return "/ops/dead-letters?" + (query.isEmpty() ? "" : query + "&") + "limit=" + limit
                + (page == null ? "" : "&cursor=" + HttpClients.segment(page));
    }

    private String table(ArrayNode items, String next) {
        if (items.isEmpty()) {
            return filter.isEmpty() ? "no dead letters\n" : "no dead letters match\n";
        }
        StringBuilder text = new StringBuilder(DeadLetterTable.of(items, zone).render());
        text.append(items.size()).append(items.size() == 1 ? " dead letter" : " dead letters");
        if (next != null) {
            text.append("; more: add --cursor ").append(next).append(" (or --all)");
        }
        return text.append('\n').toString();
    }

    private static String pretty(ArrayNode items, String next) {
        ObjectNode page = Json.MAPPER.createObjectNode();
        page.set("items", items);
        page.put("next", next);
        return page.toPrettyString() + "\n";
    }
}
