package io.jobpipe.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.runtime.client.HttpClients;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import static io.jobpipe.runtime.cli.JsonFields.orDash;
import static io.jobpipe.runtime.cli.JsonFields.text;

/**
 * {@code ./jobpipe dlq replay}: replays dead-lettered jobs, named one by one or chosen by a filter (a bulk
 * operation at a set rate, followed until it ends). A bulk replay without a filter needs {@code --all-dead-letters}.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Replay dead-lettered jobs: each JOB named (one request each), or every dead letter a filter "
                + "matches (a bulk operation whose progress is shown until it ends).",
                "A replay runs the job again from the stage it failed at (or --from-stage), with its input patched "
                        + "by --patch (JSON Merge Patch, RFC 7386) when given.",
                "Exits 0 when all were accepted (bulk: the operation is done), 1 when the status service refused "
                        + "any or the operation failed, 2 on a usage error."},
        footer = {"", "Examples:",
                "  ./jobpipe dlq replay job_01J… --reason 'upstream fixed'",
                "  ./jobpipe dlq replay job_01J… --reason 'bad repo' --patch @fix.json",
                "  ./jobpipe dlq replay --stage enrich --since 2h --reason 'fixed' --dry-run",
                "  ./jobpipe dlq replay --stage enrich --since 2h --reason 'fixed' --rate 50"})
final class DlqReplayCommand extends OpsApiCommand {

    @Parameters(paramLabel = "JOB", arity = "0..*", description = "dead-lettered jobs to replay (none: a bulk replay "
            + "of what the filter options match)")
    List<String> jobIds = new ArrayList<>();

    @Option(names = "--reason", paramLabel = "REASON", required = true, description = "why: recorded with the replay (required)")
    String reason;

    @Option(names = "--replay-id", paramLabel = "ID", description = "the replay's id, to make a retried request "
            + "idempotent (default: one the service makes)")
    String replayId;

    @Option(names = "--from-stage", paramLabel = "STAGE", description = "run again from this stage (default: the one "
            + "it failed at)")
    String fromStage;

    @Option(names = "--patch", paramLabel = "JSON|@FILE", converter = JsonPatchConverter.class,
            description = "a JSON Merge Patch for the stage input, inline or @file.json")
    JsonNode patch;

    @Mixin
    JobFilterOptions filter;

    @Mixin
    BulkOptions bulk;

    @Option(names = "--max-running", paramLabel = "N", description = "bulk only: at most N replayed jobs unfinished at "
            + "once, so live traffic is not queued behind the replay; 0 for no bound (default: the service's, 10)")
    Integer maxRunning;

    @Option(names = "--all-dead-letters", description = "allow a bulk replay without a filter: every dead letter")
    boolean allDeadLetters;

    private final ZoneId zone = ZoneId.systemDefault();

    @Override
    int run(PrintWriter out) throws OpsFailure, InterruptedException {
        bulk.validate();
        if (!jobIds.isEmpty()) {
            return forEachJob(jobIds, !filter.isEmpty() || bulk.anySet() || allDeadLetters, "replay",
                    (api, jobId) -> replay(api, out, jobId));
        }
        if (filter.isEmpty() && !allDeadLetters) {
            throw OpsFailure.usage("nothing to replay: name the jobs (JOB…) or filter the dead letters (--stage, "
                    + "--error-class, --connection, --pipeline, --since, --until); to replay every dead letter, "
                    + "add --all-dead-letters");
        }
        if (maxRunning != null && maxRunning < 0) {
            throw OpsFailure.usage("--max-running must be 0 (no bound) or more");
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("filter", filter.toJson());
        if (maxRunning != null) {
            body.put("maxRunning", maxRunning);
        }
        return bulk.run(new BulkOperation(target.api(), out, err(), "replay", "dead letter"),
                "/ops/dead-letters/replay", replayFields(body), items -> DeadLetterTable.of(items, zone));
    }

    private void replay(OpsApi api, PrintWriter out, String jobId) throws OpsFailure, InterruptedException {
        String jobPath = "/jobs/" + HttpClients.segment(jobId);
        JsonNode answer = api.post("/ops" + jobPath + "/replay", replayFields(Json.MAPPER.createObjectNode()),
                "replay job " + jobId);
        out.println(jobId + ": replay " + orDash(text(answer, "replayId")) + " requested (command "
                + orDash(text(answer, "commandId")) + ")");
        out.println("  status  " + api.absolute(text(answer, "statusUrl"), jobPath));
        out.flush();
    }

    private ObjectNode replayFields(ObjectNode body) {
        body.put("reason", reason);
        if (replayId != null) {
            body.put("replayId", replayId);
        }
        if (fromStage != null) {
            body.put("fromStage", fromStage);
        }
        if (patch != null) {
            body.set("inputPatch", patch);
        }
        return body;
    }
}
