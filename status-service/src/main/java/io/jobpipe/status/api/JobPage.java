package io.jobpipe.status.api;

import io.micronaut.core.annotation.Introspected;

import java.util.List;

/**
 * {@code GET /jobs}: jobs newest first.
 *
 * @param next the {@code before} cursor of the following page, or null on the last page
 */
@Introspected
public record JobPage(List<JobSummary> items, String next) {
}
