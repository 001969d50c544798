package io.jobpipe.status.ops.api;

import io.jobpipe.core.pipeline.PipelineCatalog;
import io.jobpipe.status.ops.auth.OpsCaller;
import io.jobpipe.status.ops.bulk.BulkOperations;
import io.jobpipe.status.ops.bulk.BulkPlan;
import io.jobpipe.status.store.JobOpsRow;
import io.jobpipe.status.store.OperationRow;
import io.jobpipe.status.store.OperationStore;
import io.micronaut.http.HttpResponse;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/** The HTTP side of bulk operations: read the request, answer a dry run at once, else start the operation. */
@Singleton
public class BulkCommands {
    static final int SAMPLE_SIZE = 10;

    private final BulkOperations bulk;
    private final OperationStore operations;
    private final Set<String> knownStages;

    public BulkCommands(BulkOperations bulk, OperationStore operations, PipelineCatalog catalog) {
        this.bulk = bulk;
        this.operations = operations;
        this.knownStages = catalog.allStageNames();
    }

    public HttpResponse<?> replay(String body, OpsCaller caller) {
        return run(BulkRequests.replay(body, knownStages), caller);
    }

    public HttpResponse<?> cancel(String body, OpsCaller caller) {
        return run(BulkRequests.cancel(body), caller);
    }

    public OperationDocument operation(String id) {
        return operations.find(id).map(row -> OperationDocument.of(row, Instant.now()))
                .orElseThrow(() -> OpsProblems.operationNotFound(id));
    }

    private HttpResponse<?> run(BulkPlan plan, OpsCaller caller) {
        List<JobOpsRow> jobs = bulk.select(plan);
        if (plan.dryRun()) {
            return HttpResponse.ok(new BulkDryRun(jobs.size(),
                    jobs.stream().limit(SAMPLE_SIZE).map(DeadLetterItem::of).toList()));
        }
        OperationRow row = bulk.start(plan, jobs, caller);
        return HttpResponse.accepted().body(new BulkAccepted(row.id(), row.replayId(), row.matched(),
                "/ops/operations/" + row.id()));
    }
}
