package io.jobpipe.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipe.runtime.client.HttpClients;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.Function;

import static io.jobpipe.runtime.cli.JsonFields.orDash;
import static io.jobpipe.runtime.cli.JsonFields.text;

/**
 * A bulk replay or cancel: a dry run prints what matches; otherwise the service starts an operation, which is
 * followed on {@code /ops/operations/{id}} until it is done or failed, with a progress line.
 */
final class BulkOperation {
    private static final int MAX_POLL_FAILURES_IN_A_ROW = 10;

    private final OpsApi api;
    private final PrintWriter out;
    private final PrintWriter err;
    private final String verb;
    private final String thing;

    /**
     * @param verb  {@code replay} or {@code cancel}: names the operation in messages
     * @param thing what the filter matches, singular: {@code dead letter}, {@code job}
     */
    BulkOperation(OpsApi api, PrintWriter out, PrintWriter err, String verb, String thing) {
        this.api = api;
        this.out = out;
        this.err = err;
        this.verb = verb;
        this.thing = thing;
    }

    /** Posts {@code body} with {@code dryRun: true} and prints the count and the sample as {@code sampleTable} makes it. */
    int dryRun(String path, ObjectNode body, Function<JsonNode, TextTable> sampleTable)
            throws OpsFailure, InterruptedException {
        body.put("dryRun", true);
        JsonNode answer = api.post(path, body, "try a bulk " + verb);
        long matched = answer.path("matched").asLong();
        out.println("dry run: " + count(matched) + " match; nothing was sent (run again without --dry-run to " + verb
                + " them)");
        TextTable sample = sampleTable.apply(answer.path("sample"));
        if (sample.size() > 0) {
            out.println();
            out.print(sample.render());
            if (sample.size() < matched) {
                out.println("(a sample of " + sample.size() + ")");
            }
        }
        return 0;
    }

    /** Posts {@code body} with {@code dryRun: false}, then follows the operation every {@code pollInterval}. */
    int start(String path, ObjectNode body, Duration pollInterval) throws OpsFailure, InterruptedException {
        body.put("dryRun", false);
        JsonNode started = api.post(path, body, "start a bulk " + verb);
        String operationId = text(started, "operationId");
        if (operationId == null) {
            throw OpsFailure.refused("cannot start a bulk " + verb + ": the answer has no operationId: " + started);
        }
        String label = verb + " " + (text(started, "replayId") != null ? text(started, "replayId") : operationId);
        String link = text(started, "statusUrl");
        String operationPath = link != null && link.startsWith("/") ? link
                : "/ops/operations/" + HttpClients.segment(operationId);
        out.println(label + " started: " + count(started.path("matched").asLong()) + " at "
                + body.path("ratePerSecond").asInt() + "/s (operation " + operationId + ")");
        out.println("  status  " + api.absolute(link, operationPath));
        out.println("  (Ctrl-C stops watching, not the " + verb + ")");
        out.flush();
        return follow(operationPath, label, pollInterval);
    }

    private int follow(String operationPath, String label, Duration pollInterval) throws OpsFailure, InterruptedException {
        ProgressLine progress = ProgressLine.forConsole(out);
        long began = System.nanoTime();
        int failuresInARow = 0;
        while (true) {
            JsonNode operation;
            try {
                operation = api.get(operationPath, "follow the " + verb);
                failuresInARow = 0;
            } catch (OpsFailure e) {
                if (e.tokenRejected() || ++failuresInARow > MAX_POLL_FAILURES_IN_A_ROW) {
                    progress.finish();
                    throw OpsFailure.refused(e.getMessage() + System.lineSeparator() + "the " + verb
                            + " may still be running in the status service: " + api.absolute(operationPath, operationPath));
                }
                Thread.sleep(pollInterval.toMillis());
                continue;
            }
            String state = orDash(text(operation, "state"));
            long sent = operation.path("sent").asLong();
            long failed = operation.path("failed").asLong();
            long matched = operation.path("matched").asLong();
            progress.update(label + ": " + sent + "/" + matched + " sent, " + failed + " failed");
            // "abandoned": the status replica running it stopped; its error says how to finish it.
            if ("done".equals(state) || "failed".equals(state) || "abandoned".equals(state)) {
                progress.finish();
                String took = Times.duration((System.nanoTime() - began) / 1_000_000);
                if ("done".equals(state)) {
                    out.println(label + " done: " + sent + " of " + count(matched) + " sent, " + failed + " failed, in "
                            + took);
                    return 0;
                }
                err.println(label + " " + state + ": " + orDash(JobsCommand.errorText(operation.path("error"))) + " ("
                        + sent + " of " + count(matched) + " sent, " + failed + " failed, in " + took + ")");
                return 1;
            }
            Thread.sleep(pollInterval.toMillis());
        }
    }

    private String count(long n) {
        return n + " " + thing + (n == 1 ? "" : "s");
    }
}
