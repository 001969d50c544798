package io.jobpipe.status.ops.api;

import io.jobpipe.status.api.JobController;
import io.jobpipe.status.api.PageCursor;
import io.jobpipe.status.store.JobSelection;
import io.jobpipe.status.ops.auth.AccessFilter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/** {@code /ops/dead-letters}: the dead-lettered jobs, each one's record and history (read), bulk replay (operate). */
@Controller("/ops/dead-letters")
@ExecuteOn(TaskExecutors.BLOCKING)
public class DeadLetterController {
    private final DeadLetterViews views;
    private final BulkCommands bulk;

    public DeadLetterController(DeadLetterViews views, BulkCommands bulk) {
        this.views = views;
        this.bulk = bulk;
    }

    /** Newest dead-lettering first; {@code cursor} is the {@code next} of the previous page. */
    @Get
    public DeadLetterPage list(@QueryValue @Nullable String stage, @QueryValue @Nullable String errorClass,
                               @QueryValue @Nullable String connection, @QueryValue @Nullable String pipeline,
                               @QueryValue @Nullable String since, @QueryValue @Nullable String until,
                               @QueryValue @Nullable String limit, @QueryValue @Nullable String cursor) {
        JobSelection selection = JobSelection.deadLettered(RequestFields.query("stage", stage),
                RequestFields.query("errorClass", errorClass), RequestFields.query("connection", connection),
                RequestFields.query("pipeline", pipeline), RequestFields.instant("since", since),
                RequestFields.instant("until", until));
        PageCursor after = cursor == null || cursor.isEmpty() ? null : PageCursor.decode(cursor)
                .orElseThrow(() -> OpsProblems.invalid("cursor", "cursor must be the 'next' value of a previous page"));
        return views.page(selection, JobController.parseLimit(limit), after);
    }

    @Get("/{jobId}")
    public DeadLetterDetail show(@PathVariable String jobId) {
        return views.detail(jobId);
    }

    /** Replays every dead-lettered job of a filter (or a list), paced; {@code dryRun} only counts (operate tokens). */
    @Post("/replay")
    public HttpResponse<?> replay(HttpRequest<?> request, @Body @Nullable String body) {
        return bulk.replay(body, AccessFilter.callerOf(request));
    }
}
