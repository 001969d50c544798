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
import java.util.ArrayList;
import java.util.List;

import static io.jobpipe.runtime.cli.JsonFields.orDash;
import static io.jobpipe.runtime.cli.JsonFields.text;

/**
 * {@code ./jobpipe cancel}: cancels running, held or dead-lettered jobs, named one by one or chosen by a filter (a bulk
 * operation followed until it ends). A bulk cancel without a filter needs {@code --all-matching}.
 */
@Command(name = "cancel", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Cancel jobs: each JOB named (one request each), or every RUNNING, HELD or DEAD_LETTERED job a "
                + "filter matches (a bulk operation whose progress is shown until it ends).",
                "Uses the status service's ops API with a bearer token: --token, else $" + OpsToken.ENV
                        + ", else the dev operate token when the status URL is a loopback address.",
                "Exits 0 when all were accepted (bulk: the operation is done), 1 when the status service refused "
                        + "any or the operation failed, 2 on a usage error."},
        footer = {"", "Examples:",
                "  ./jobpipe cancel job_01J… --reason 'sent twice'",
                "  ./jobpipe cancel --connection stripe --state RUNNING --reason 'test' --dry-run"})
final class CancelCommand extends OpsApiCommand {

    /** The states a bulk cancel can pick. */
    enum State { RUNNING, HELD, DEAD_LETTERED }

    @Parameters(paramLabel = "JOB", arity = "0..*", description = "jobs to cancel (none: a bulk cancel of what the "
            + "filter options match)")
    List<String> jobIds = new ArrayList<>();

    @Option(names = "--reason", paramLabel = "REASON", required = true,
            description = "why: recorded with the cancellation (required)")
    String reason;

    @Mixin
    JobFilterOptions filter;

    @Option(names = "--state", paramLabel = "STATE", description = "bulk: only jobs in this state, RUNNING, HELD or "
            + "DEAD_LETTERED (default: all three)")
    State state;

    @Mixin
    BulkOptions bulk;

    @Option(names = "--all-matching", description = "allow a bulk cancel without a filter (--state alone is not one)")
    boolean allMatching;

    @Override
    int run(PrintWriter out) throws OpsFailure, InterruptedException {
        bulk.validate();
        if (!jobIds.isEmpty()) {
            return forEachJob(jobIds, !filter.isEmpty() || state != null || bulk.anySet() || allMatching, "cancel",
                    (api, jobId) -> cancel(api, out, jobId));
        }
        if (filter.isEmpty() && !allMatching) {
            throw OpsFailure.usage("nothing to cancel: name the jobs (JOB…) or filter them (--stage, --error-class, "
                    + "--connection, --pipeline, --since, --until); to cancel every "
                    + (state == null ? "running, held and dead-lettered" : state.name()) + " job, add --all-matching");
        }
        ObjectNode selection = filter.toJson();
        if (state != null) {
            selection.put("state", state.name());
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("filter", selection);
        body.put("reason", reason);
        return bulk.run(new BulkOperation(target.api(), out, err(), "cancel", "job"), "/ops/jobs/cancel", body,
                CancelCommand::sampleTable);
    }

    private void cancel(OpsApi api, PrintWriter out, String jobId) throws OpsFailure, InterruptedException {
        String jobPath = "/jobs/" + HttpClients.segment(jobId);
        ObjectNode body = Json.MAPPER.createObjectNode().put("reason", reason);
        JsonNode answer = api.post("/ops" + jobPath + "/cancel", body, "cancel job " + jobId);
        out.println(jobId + ": cancel requested (command " + orDash(text(answer, "commandId")) + ")");
        out.println("  status  " + api.absolute(text(answer, "statusUrl"), jobPath));
        out.flush();
    }

    private static TextTable sampleTable(JsonNode items) {
        TextTable table = new TextTable("JOB", "STATE", "STAGE", "CONNECTION", "PIPELINE", "ERROR CLASS");
        for (JsonNode item : items) {
            table.row(text(item, "jobId"), text(item, "state"),
                    text(item, "stage") != null ? text(item, "stage") : text(item, "currentStage"),
                    text(item, "connection"), text(item, "pipeline"), text(item, "errorClass"));
        }
        return table;
    }
}
