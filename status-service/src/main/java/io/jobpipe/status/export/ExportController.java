package io.jobpipe.status.export;

import io.jobpipe.status.api.JobFilterParams;
import io.jobpipe.status.api.JobFilterQuery;
import io.jobpipe.status.store.JobFilter;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import reactor.core.publisher.Flux;

/**
 * CSV exports of the read model, streamed: {@code GET /exports/jobs.csv} (a row per job) and
 * {@code GET /exports/stages.csv} (a row per stage of each job), filtered like {@code GET /jobs}
 * ({@link JobFilterParams}: state, pipeline, connection, stage, errorClass, since/until, q).
 */
@Controller("/exports")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ExportController {
    static final String CSV = "text/csv; charset=utf-8";

    private final CsvExports exports;

    public ExportController(CsvExports exports) {
        this.exports = exports;
    }

    @Get(value = "/jobs.csv", produces = CSV)
    @JobFilterQuery
    public HttpResponse<Flux<byte[]>> jobs(HttpRequest<?> request) {
        return csv(ExportKind.JOBS, "jobs.csv", JobFilterParams.parse(request.getParameters()));
    }

    @Get(value = "/stages.csv", produces = CSV)
    @JobFilterQuery
    public HttpResponse<Flux<byte[]>> stages(HttpRequest<?> request) {
        return csv(ExportKind.STAGES, "stages.csv", JobFilterParams.parse(request.getParameters()));
    }

    private HttpResponse<Flux<byte[]>> csv(ExportKind kind, String file, JobFilter filter) {
        return HttpResponse.ok(exports.stream(kind, filter)).contentType(CSV)
                .header("Content-Disposition", "attachment; filename=\"" + file + "\"");
    }
}
