package io.jobpipe.status.api;

import io.jobpipe.status.live.JobEventStreams;
import io.jobpipe.status.store.JobFilter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import reactor.core.publisher.Flux;

/**
 * {@code GET /events}: the firehose, every job's events as Server-Sent Events in the order they were projected, for
 * the jobs the filters ({@link JobFilterParams}: state, pipeline, connection, …, matched against the job as it is
 * now) select. SSE {@code id} = the event's feed position, {@code event} = its type, {@code data} = its JSON (which
 * names its job). Resumable: {@code Last-Event-ID} (or {@code ?lastEventId=}) continues after that position, with
 * nothing missed; without it the stream starts at the feed's end, so only new events come. It never ends by itself.
 * Needs a read token (the listing rule).
 */
@Controller("/events")
@ExecuteOn(TaskExecutors.BLOCKING)
public class FirehoseController {
    private final JobEventStreams streams;
    private final ClientAddresses clients;

    public FirehoseController(JobEventStreams streams, ClientAddresses clients) {
        this.streams = streams;
        this.clients = clients;
    }

    @Get(produces = MediaType.TEXT_EVENT_STREAM)
    @JobFilterQuery
    public HttpResponse<Flux<byte[]>> events(HttpRequest<?> request,
                                             @Header("Last-Event-ID") @Nullable String lastEventIdHeader,
                                             @QueryValue @Nullable String lastEventId) {
        JobFilter filter = JobFilterParams.parse(request.getParameters());
        String resume = lastEventIdHeader != null ? lastEventIdHeader : lastEventId;
        long after = resume == null || resume.isBlank() ? streams.feedEnd() : JobController.parseLastEventId(resume);
        return HttpResponse.ok(streams.firehose(filter, after, StreamPlaces.take(request, streams.quota(), clients)))
                .contentType(MediaType.TEXT_EVENT_STREAM_TYPE)
                .header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no");
    }
}
