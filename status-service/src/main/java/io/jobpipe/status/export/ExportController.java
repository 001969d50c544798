package io.jobpipe.status.export;

import io.jobpipe.core.event.JobStatus;
import io.jobpipe.status.api.StatusProblems;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import reactor.core.publisher.Flux;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;

/**
 * CSV exports of the read model, streamed: {@code GET /exports/jobs.csv} (a row per job) and
 * {@code GET /exports/stages.csv} (a row per stage of each job), filtered by pipeline, connection, state and creation
 * time ({@code since} inclusive, {@code until} exclusive, ISO-8601).
 */
@Controller("/exports")
public class ExportController {
    static final String CSV = "text/csv; charset=utf-8";

    private final CsvExports exports;

    public ExportController(CsvExports exports) {
        this.exports = exports;
    }

    @Get(value = "/jobs.csv", produces = CSV)
    public HttpResponse<Flux<byte[]>> jobs(@QueryValue @Nullable String pipeline, @QueryValue @Nullable String connection,
                                           @QueryValue @Nullable String state, @QueryValue @Nullable String since,
                                           @QueryValue @Nullable String until) {
        return csv(ExportKind.JOBS, "jobs.csv", filter(pipeline, connection, state, since, until));
    }

    @Get(value = "/stages.csv", produces = CSV)
    public HttpResponse<Flux<byte[]>> stages(@QueryValue @Nullable String pipeline, @QueryValue @Nullable String connection,
                                             @QueryValue @Nullable String state, @QueryValue @Nullable String since,
                                             @QueryValue @Nullable String until) {
        return csv(ExportKind.STAGES, "stages.csv", filter(pipeline, connection, state, since, until));
    }

    private HttpResponse<Flux<byte[]>> csv(ExportKind kind, String file, ExportFilter filter) {
        return HttpResponse.ok(exports.stream(kind, filter)).contentType(CSV)
                .header("Content-Disposition", "attachment; filename=\"" + file + "\"");
    }

    static ExportFilter filter(String pipeline, String connection, String state, String since, String until) {
        JobStatus status = null;
        if (state != null && !state.isBlank()) {
            try {
                status = JobStatus.valueOf(state.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw StatusProblems.badParameter("state", "state must be one of " + Arrays.toString(JobStatus.values()));
            }
        }
        Instant from = instant("since", since);
        Instant to = instant("until", until);
        if (from != null && to != null && !from.isBefore(to)) {
            throw StatusProblems.badParameter("until", "until must be after since");
        }
        return new ExportFilter(blankToNull(pipeline), blankToNull(connection), status, from, to);
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw StatusProblems.badParameter(name, name + " must be an ISO-8601 instant such as 2026-01-31T00:00:00Z");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
