package io.jobpipe.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.runtime.client.HttpClients;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;

import static io.jobpipe.runtime.cli.JsonFields.orDash;
import static io.jobpipe.runtime.cli.JsonFields.text;

/** {@code ./jobpipe breakers open|close PIPELINE/STAGE --reason …}: switches one breaker by hand. */
abstract class BreakerSwitchCommand extends OpsApiCommand {

    @Parameters(index = "0", paramLabel = "PIPELINE/STAGE", description = "the breaker, e.g. default/enrich")
    String breaker;

    @Option(names = "--reason", paramLabel = "REASON", required = true,
            description = "why: kept with the breaker's state, and shown to whoever looks (required)")
    String reason;

    /** {@code open} or {@code close}. */
    abstract String verb();

    @Override
    int run(PrintWriter out) throws OpsFailure, InterruptedException {
        String[] parts = breaker.split("/", -1);
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
            throw OpsFailure.usage("name the breaker as PIPELINE/STAGE (e.g. default/enrich), not '" + breaker
                    + "'; ./jobpipe breakers lists them");
        }
        String path = "/ops/breakers/" + HttpClients.segment(parts[0]) + "/" + HttpClients.segment(parts[1]);
        OpsApi api = target.api();
        ObjectNode body = Json.MAPPER.createObjectNode().put("reason", reason);
        JsonNode answer = api.post(path + "/" + verb(), body, verb() + " breaker " + breaker);
        out.println(breaker + ": " + orDash(text(answer, "state"))
                + (answer.path("manual").asBoolean(false) ? " by hand (stays open until closed by hand)" : "")
                + ", written by " + orDash(text(answer, "changedBy")) + "; the orchestrators act on it as they read it");
        out.println("  breaker  " + api.absolute(text(answer, "url"), path));
        return 0;
    }

    @Command(name = "open", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Open a breaker by hand: new dispatches of its stage are held (the jobs are HELD) until "
                    + "it is closed by hand; no probe is sent.",
                    "Needs an operate token. Exits 0 when written, 1 when the status service said no, 2 on a usage "
                            + "error."})
    static final class Open extends BreakerSwitchCommand {
        @Override
        String verb() {
            return "open";
        }
    }

    @Command(name = "close", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Close a breaker by hand: its held jobs are released and new dispatches go out again.",
                    "Needs an operate token. Exits 0 when written, 1 when the status service said no, 2 on a usage "
                            + "error."})
    static final class Close extends BreakerSwitchCommand {
        @Override
        String verb() {
            return "close";
        }
    }
}
