package io.jobpipe.status.ops.api;

import io.micronaut.core.annotation.Introspected;

import java.util.List;

/**
 * {@code GET /ops/dead-letters}: dead-lettered jobs, newest dead-lettering first.
 *
 * @param next the {@code cursor} of the following page, or null on the last page
 */
@Introspected
public record DeadLetterPage(List<DeadLetterItem> items, String next) {
}
