package io.jobpipe.status.ops.api;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/** {@code /ops/operations/{id}}: how far a bulk replay or cancel got (read tokens). */
@Controller("/ops/operations")
@ExecuteOn(TaskExecutors.BLOCKING)
public class OperationController {
    private final BulkCommands bulk;

    public OperationController(BulkCommands bulk) {
        this.bulk = bulk;
    }

    @Get("/{id}")
    public OperationDocument operation(@PathVariable String id) {
        return bulk.operation(id);
    }
}
