package io.jobpipe.status.ops.api;

import io.jobpipe.status.ops.auth.AccessFilter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * {@code /ops/breakers}: every stage's circuit breaker (read), opened or closed by hand (operate; {@link AccessFilter}
 * checks).
 */
@Controller("/ops/breakers")
@ExecuteOn(TaskExecutors.BLOCKING)
public class BreakerController {
    private final BreakerViews views;
    private final BreakerCommands commands;

    public BreakerController(BreakerViews views, BreakerCommands commands) {
        this.views = views;
        this.commands = commands;
    }

    @Get
    public BreakerList list() {
        return views.all();
    }

    @Get("/{pipeline}/{stage}")
    public BreakerDocument show(@PathVariable String pipeline, @PathVariable String stage) {
        return views.one(pipeline, stage);
    }

    @Post("/{pipeline}/{stage}/open")
    public HttpResponse<BreakerChange> open(HttpRequest<?> request, @PathVariable String pipeline,
                                            @PathVariable String stage, @Body @Nullable String body) {
        return accepted(commands.open(pipeline, stage, body, AccessFilter.callerOf(request)));
    }

    @Post("/{pipeline}/{stage}/close")
    public HttpResponse<BreakerChange> close(HttpRequest<?> request, @PathVariable String pipeline,
                                             @PathVariable String stage, @Body @Nullable String body) {
        return accepted(commands.close(pipeline, stage, body, AccessFilter.callerOf(request)));
    }

    private static HttpResponse<BreakerChange> accepted(BreakerChange change) {
        return HttpResponse.accepted().header(HttpHeaders.LOCATION, change.url()).body(change);
    }
}
