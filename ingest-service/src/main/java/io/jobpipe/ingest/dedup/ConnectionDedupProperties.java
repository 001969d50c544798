package io.jobpipe.ingest.dedup;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The deduplication setting of one {@code jobpipe.ingest.connections.<name>} entry (bound apart from the connection's
 * scheme settings, which it does not concern).
 *
 * @param dedupByBodyHash when the sender gives no delivery id, take the SHA-256 of the body as one: two identical
 *                        bodies are then one delivery. Off by default, because two identical bodies can be two real
 *                        events (two clicks of the same button).
 */
@EachProperty("jobpipe.ingest.connections")
public record ConnectionDedupProperties(
        @Parameter String name,
        @Bindable(defaultValue = "false") boolean dedupByBodyHash) {
}
