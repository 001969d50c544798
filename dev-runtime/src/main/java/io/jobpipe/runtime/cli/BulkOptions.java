package io.jobpipe.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.function.Function;

/** How a bulk replay or cancel runs: a dry run first, the rate, at most how many. */
final class BulkOptions {
    @Option(names = "--dry-run", description = "only show how many match, and a sample; send nothing")
    boolean dryRun;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "100",
            description = "commands sent per second by the bulk operation (default: ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--limit", paramLabel = "N", description = "at most this many (bulk only)")
    Integer limit;

    @Option(names = "--poll-interval", defaultValue = "500ms", converter = DurationConverter.class, hidden = true)
    Duration pollInterval;

    boolean anySet() {
        return dryRun || limit != null;
    }

    void validate() throws OpsFailure {
        if (rate < 1) {
            throw OpsFailure.usage("--rate must be at least 1");
        }
        if (limit != null && limit < 1) {
            throw OpsFailure.usage("--limit must be at least 1");
        }
    }

    /** Adds {@code ratePerSecond} and {@code limit} to a bulk request; {@link BulkOperation} adds {@code dryRun}. */
    ObjectNode addTo(ObjectNode body) {
        body.put("ratePerSecond", rate);
        if (limit != null) {
            body.put("limit", limit);
        }
        return body;
    }

    /** A dry run, or the operation followed to its end. */
    int run(BulkOperation operation, String path, ObjectNode body, Function<JsonNode, TextTable> sampleTable)
            throws OpsFailure, InterruptedException {
        addTo(body);
        return dryRun ? operation.dryRun(path, body, sampleTable) : operation.start(path, body, pollInterval);
    }
}
