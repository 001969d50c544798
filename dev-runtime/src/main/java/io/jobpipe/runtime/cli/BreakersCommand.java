package io.jobpipe.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.ZoneId;

import static io.jobpipe.runtime.cli.JsonFields.text;

/**
 * {@code ./jobpipe breakers}: every stage's circuit breaker as a table; {@code open} and {@code close} switch one by
 * hand, through the status service's ops API.
 */
@Command(name = "breakers", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Circuit breakers, one per stage of each pipeline: list them (breaker, state, since, held jobs, "
                + "reason, changed by), or open or close one by hand.",
                "An open breaker holds its stage's new dispatches: those jobs are HELD, with no attempt spent, until it "
                        + "closes (or one is sent as a probe). Opened by hand, it stays open until closed by hand.",
                "Uses the status service's ops API with a bearer token: --token, else $" + OpsToken.ENV
                        + ", else the dev operate token when the status URL is a loopback address.",
                "Exit codes: 0 ok, 1 the status service said no or cannot be reached, 2 usage."},
        footer = {"", "Examples:",
                "  ./jobpipe breakers",
                "  ./jobpipe breakers open default/enrich --reason 'enrichment API down, incident 7'",
                "  ./jobpipe breakers close default/enrich --reason 'API back'"},
        subcommands = {BreakerSwitchCommand.Open.class, BreakerSwitchCommand.Close.class})
final class BreakersCommand extends OpsApiCommand {

    @Option(names = "--json", description = "print the API's JSON ({\"items\":[…]}) instead of a table")
    boolean json;

    private final ZoneId zone = ZoneId.systemDefault();

    @Override
    int run(PrintWriter out) throws OpsFailure, InterruptedException {
        JsonNode answer = target.api().get("/ops/breakers", "list breakers");
        if (json) {
            out.println(answer.toPrettyString());
            return 0;
        }
        TextTable table = new TextTable("BREAKER", "STATE", "SINCE", "HELD", "REASON", "CHANGED BY");
        for (JsonNode item : answer.path("items")) {
            String state = text(item, "state");
            table.row(text(item, "breaker"), item.path("manual").asBoolean(false) ? state + " (by hand)" : state,
                    Times.local(text(item, "since"), zone), text(item, "heldJobs"), text(item, "reason"),
                    text(item, "changedBy"));
        }
        out.print(table.size() == 0 ? "no breakers: the pipeline catalog has no stages\n" : table.render());
        return 0;
    }
}
