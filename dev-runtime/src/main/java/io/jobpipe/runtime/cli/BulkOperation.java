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
        JsonNode answer = tryOut(path, body);
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
        Started started = begin(path, body);
        String label = verb + " " + (started.replayId() != null ? started.replayId() : started.operationId());
        out.println(label + " started: " + count(started.matched()) + " at "
                + body.path("ratePerSecond").asInt() + "/s (operation " + started.operationId() + ")");
        out.println("  status  " + api.absolute(started.link(), started.operationPath()));
        out.println("  (Ctrl-C stops watching, not the " + verb + ")");
        out.flush();
        return follow(started.operationPath(), label, pollInterval);
    }

    /** An operation the service started: its id, replay id (replays), where to read it, and how many it selected. */
    record Started(String operationId, String replayId, String operationPath, String link, long matched) {
    }

    /** Posts {@code body} with {@code dryRun: true}: the answer has {@code matched} and a {@code sample}. */
    JsonNode tryOut(String path, ObjectNode body) throws OpsFailure, InterruptedException {
        body.put("dryRun", true);
        return api.post(path, body, "try a bulk " + verb);
    }

    /** Posts {@code body} with {@code dryRun: false}: the service starts the operation and answers at once. */
    Started begin(String path, ObjectNode body) throws OpsFailure, InterruptedException {
        body.put("dryRun", false);
        JsonNode started = api.post(path, body, "start a bulk " + verb);
        String operationId = text(started, "operationId");
        if (operationId == null) {
            throw OpsFailure.refused("cannot start a bulk " + verb + ": the answer has no operationId: " + started);
        }
        String link = text(started, "statusUrl");
        String operationPath = link != null && link.startsWith("/") ? link
                : "/ops/operations/" + HttpClients.segment(operationId);
        return new Started(operationId, text(started, "replayId"), operationPath, link, started.path("matched").asLong());
    }

    /** The operation's state now. */
    OperationStatus status(String operationPath) throws OpsFailure, InterruptedException {
        return OperationStatus.of(api.get(operationPath, "follow the " + verb));
    }

    private int follow(String operationPath, String label, Duration pollInterval) throws OpsFailure, InterruptedException {
        ProgressLine progress = ProgressLine.forConsole(out);
        long began = System.nanoTime();
        int failuresInARow = 0;
        while (true) {
            OperationStatus operation;
            try {
                operation = status(operationPath);
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
            long sent = operation.sent();
            long failed = operation.failed();
            long matched = operation.matched();
            progress.update(label + ": " + sent + "/" + matched + " sent, " + failed + " failed");
            if (operation.ended()) {
                progress.finish();
                String took = Times.duration((System.nanoTime() - began) / 1_000_000);
                if (operation.done()) {
                    out.println(label + " done: " + sent + " of " + count(matched) + " sent, " + failed + " failed, in "
                            + took);
                    return 0;
                }
                err.println(label + " " + operation.state() + ": " + orDash(operation.error()) + " ("
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
