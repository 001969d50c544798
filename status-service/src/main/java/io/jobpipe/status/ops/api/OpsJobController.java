package io.jobpipe.status.ops.api;

import io.jobpipe.status.ops.auth.AccessFilter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/** {@code /ops/jobs/…}: replay or cancel one job, cancel many (operate tokens; {@link AccessFilter} checks). */
@Controller("/ops/jobs")
@ExecuteOn(TaskExecutors.BLOCKING)
public class OpsJobController {
    private final SingleJobCommands commands;
    private final BulkCommands bulk;

    public OpsJobController(SingleJobCommands commands, BulkCommands bulk) {
        this.commands = commands;
        this.bulk = bulk;
    }

    /** Cancels every running, held or dead-lettered job of a filter (or a list), paced; {@code dryRun} only counts. */
    @Post("/cancel")
    public HttpResponse<?> cancelMany(HttpRequest<?> request, @Body @Nullable String body) {
        return bulk.cancel(body, AccessFilter.callerOf(request));
    }

    @Post("/{jobId}/replay")
    public HttpResponse<CommandAccepted> replay(HttpRequest<?> request, @PathVariable String jobId,
                                                @Body @Nullable String body) {
        return HttpResponse.accepted().body(commands.replay(jobId, body, AccessFilter.callerOf(request)));
    }

    @Post("/{jobId}/cancel")
    public HttpResponse<CommandAccepted> cancel(HttpRequest<?> request, @PathVariable String jobId,
                                                @Body @Nullable String body) {
        return HttpResponse.accepted().body(commands.cancel(jobId, body, AccessFilter.callerOf(request)));
    }
}
