package io.jobpipe.status.ops.api;

import io.micronaut.core.annotation.Introspected;

import java.util.List;

/** The 200 of a bulk request with {@code dryRun}: what it would touch; nothing was sent. */
@Introspected
public record BulkDryRun(int matched, List<DeadLetterItem> sample) {
}
