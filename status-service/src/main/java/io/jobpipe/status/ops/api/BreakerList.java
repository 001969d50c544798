package io.jobpipe.status.ops.api;

import io.micronaut.core.annotation.Introspected;

import java.util.List;

/** {@code GET /ops/breakers}: every stage of every pipeline of the catalog, pipelines by name, stages in order. */
@Introspected
public record BreakerList(List<BreakerDocument> items) {
}
