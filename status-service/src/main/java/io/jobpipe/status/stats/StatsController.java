package io.jobpipe.status.stats;

import io.jobpipe.status.api.StatusProblems;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * {@code GET /stats?window=1h[&until=…]}: per pipeline and stage, the jobs created in the window by state, the
 * shares of success, failure, retry and dead letters, duration percentiles, and jobs per webhook connection.
 * Needs a read token (listing rule).
 */
@Controller("/stats")
@ExecuteOn(TaskExecutors.BLOCKING)
public class StatsController {
    private final StatsQueries queries;

    public StatsController(StatsQueries queries) {
        this.queries = queries;
    }

    @Get
    public StatsReport stats(@QueryValue @Nullable String window, @QueryValue @Nullable String until) {
        Instant end = Instant.now();
        if (until != null && !until.isBlank()) {
            try {
                end = Instant.parse(until.trim());
            } catch (DateTimeParseException e) {
                throw StatusProblems.badParameter("until", "until must be an ISO-8601 instant such as 2026-01-31T00:00:00Z");
            }
        }
        StatsWindow parsed;
        try {
            parsed = StatsWindow.parse(window, end);
        } catch (IllegalArgumentException e) {
            throw StatusProblems.badParameter("window", e.getMessage());
        }
        return queries.report(parsed);
    }
}
