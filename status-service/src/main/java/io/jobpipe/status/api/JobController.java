package io.jobpipe.status.api;

import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.JobStatus;
import io.jobpipe.core.pipeline.PipelineCatalog;
import io.jobpipe.status.live.JobArrival;
import io.jobpipe.status.live.JobEventStreams;
import io.jobpipe.status.live.JobStateWait;
import io.jobpipe.status.projection.JobView;
import io.jobpipe.status.store.JobEntity;
import io.jobpipe.status.store.JobFilter;
import io.jobpipe.status.store.JobListing;
import io.jobpipe.status.store.JobReadModel;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The job API: one job, the list of jobs, and a job's events as Server-Sent Events. Reads the PostgreSQL
 * read model only, so any replica answers any request. JDBC runs on the blocking executor, never on Netty's
 * event loop.
 */
@Controller("/jobs")
@ExecuteOn(TaskExecutors.BLOCKING)
public class JobController {
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 200;
    static final String WAIT_HEADER = "Jobpipe-Wait";

    private final JobReadModel readModel;
    private final JobListing listing;
    private final JobArrival arrival;
    private final JobStateWait stateWait;
    private final JobEventStreams streams;
    private final PipelineCatalog catalog;
    private final ClientAddresses clients;

    public JobController(JobReadModel readModel, JobListing listing, JobArrival arrival, JobStateWait stateWait,
                         JobEventStreams streams, PipelineCatalog catalog, ClientAddresses clients) {
        this.stateWait = stateWait;
        this.clients = clients;
        this.catalog = catalog;
        this.listing = listing;
        this.readModel = readModel;
        this.arrival = arrival;
        this.streams = streams;
    }

    /**
     * The job's document. With {@code waitFor} (one or more states), read-your-writes: the answer waits until the job
     * is in one of them, rests in another terminal state, or {@code timeout} (default 10 s, at most 60 s) passes;
     * the {@code Jobpipe-Wait} header says which ({@code reached}, {@code ended}, {@code timeout}).
     */
    @Get("/{jobId}")
    public HttpResponse<JobDocument> job(@PathVariable String jobId, @QueryValue @Nullable String waitFor,
                                         @QueryValue @Nullable String timeout) {
        if (waitFor == null || waitFor.isBlank()) {
            return HttpResponse.ok(document(arrival.await(jobId).orElseThrow(() -> StatusProblems.jobNotFound(jobId))));
        }
        Set<JobStatus> wanted = JobFilterParams.states("waitFor", waitFor);
        Duration limit = WaitTimeouts.parse(timeout);
        JobStateWait.Result waited = stateWait.tryWait(jobId, wanted, limit)
                .orElseThrow(() -> StatusProblems.waitsFull(stateWait.maxWaits()));
        JobView job = waited.job().orElseThrow(() -> StatusProblems.jobNotFound(jobId));
        return HttpResponse.ok(document(job)).header(WAIT_HEADER, waited.outcome().name().toLowerCase(Locale.ROOT)
                .replace("timed_out", "timeout"));
    }

    private JobDocument document(JobView job) {
        String jobId = job.jobId();
        JobReadModel.DocumentEvents events = readModel.documentHistory(jobId);
        List<JobEvent> history = events.history();
        return JobDocument.of(job, OpsHistory.of(history), AttemptSummary.of(history, this::allowedAttempts,
                job.pipeline(), job.state().terminal()), Hold.of(job.state(), history),
                Progress.of(job, events.progress()));
    }

    /**
     * Most recent first, filtered by {@link JobFilterParams}; {@code before} is the {@code next} of the previous page,
     * asked with the same filters.
     */
    @Get
    @JobFilterQuery
    public JobPage jobs(HttpRequest<?> request, @QueryValue @Nullable String limit, @QueryValue @Nullable String before) {
        int size = parseLimit(limit);
        JobFilter filter = JobFilterParams.parse(request.getParameters());
        PageCursor cursor = before == null || before.isEmpty() ? null : PageCursor.decode(before)
                .orElseThrow(() -> StatusProblems.badParameter("before",
                        "before must be the 'next' value of a previous page"));
        List<JobEntity> rows = listing.newest(filter, size + 1, cursor == null ? null : cursor.createdAt(),
                cursor == null ? null : cursor.jobId());
        List<JobEntity> page = rows.size() > size ? rows.subList(0, size) : rows;
        String next = null;
        if (rows.size() > size) {
            JobEntity last = page.get(page.size() - 1);
            next = new PageCursor(last.createdAt(), last.jobId()).encode();
        }
        return new JobPage(page.stream().map(JobSummary::of).toList(), next);
    }

    /**
     * The job's events after {@code Last-Event-ID} (header, or {@code ?lastEventId=} for clients that cannot set
     * headers), then live ones; SSE {@code id} = seq, {@code event} = type, {@code data} = the event's JSON.
     * The stream ends once the job rests in a terminal state (a replay reopens a dead-lettered job).
     */
    @Get(value = "/{jobId}/events", produces = MediaType.TEXT_EVENT_STREAM)
    // Declared: the generator would describe the CompletableFuture's HttpResponse object instead of the stream.
    @ApiResponse(responseCode = "200", description = "the job's history, then live changes, as an SSE stream",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", description = "no such job (after the arrival grace)",
            content = @Content(mediaType = "application/problem+json"))
    public CompletableFuture<HttpResponse<Flux<byte[]>>> events(HttpRequest<?> request, @PathVariable String jobId,
                                                                @Header("Last-Event-ID") @Nullable String lastEventIdHeader,
                                                                @QueryValue @Nullable String lastEventId) {
        long afterSeq = parseLastEventId(lastEventIdHeader != null ? lastEventIdHeader : lastEventId);
        // A job not projected yet is waited for without holding this thread: its first event from the topic or its row
        // in the read model, whichever comes first (JobArrival.awaitStreamStart).
        return arrival.awaitStreamStart(jobId).thenApply(found -> {
            JobEntity job = found.orElseThrow(() -> StatusProblems.jobNotFound(jobId)).row();
            if (job != null && JobStatus.isTerminalName(job.state()) && job.lastSeq() <= afterSeq) {
                // The client has seen the end already: an empty stream, or it would wait forever.
                return eventStream(Flux.empty());
            }
            return eventStream(streams.stream(jobId, afterSeq, StreamPlaces.take(request, streams.quota(), clients)));
        });
    }

    private static HttpResponse<Flux<byte[]>> eventStream(Flux<byte[]> frames) {
        return HttpResponse.ok(frames)
                .contentType(MediaType.TEXT_EVENT_STREAM_TYPE)
                .header("Cache-Control", "no-cache")
                // Tells nginx-style proxies not to buffer the stream.
                .header("X-Accel-Buffering", "no");
    }

    /** N of "attempt n of N": the stage's maximumAttempts in the catalog, null when the stage is no longer there. */
    private Integer allowedAttempts(String pipeline, String stage) {
        return pipeline == null ? null : catalog.pipeline(pipeline).flatMap(p -> p.stage(stage))
                .map(s -> s.retry().maximumAttempts()).orElse(null);
    }

    public static int parseLimit(String limit) {
        if (limit == null || limit.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int value = Integer.parseInt(limit.trim());
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw StatusProblems.badParameter("limit",
                "limit must be an integer from 1 to " + MAX_LIMIT + ", got '" + limit + "'");
    }

    public static long parseLastEventId(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return 0;
        }
        try {
            long value = Long.parseLong(lastEventId.trim());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw StatusProblems.badParameter("Last-Event-ID",
                "Last-Event-ID must be the id (a seq) of an event of this stream, got '" + lastEventId + "'");
    }
}
