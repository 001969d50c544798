package io.jobpipe.ingest.callback;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * {@code jobpipe.ingest.callbacks.*}: whether this ingest takes asynchronous agents' callbacks
 * ({@code POST /callbacks/<token>}). When on, {@code jobpipe.callbacks.secret} must be set (start-up fails otherwise).
 *
 * @param enabled {@code JOBPIPE_INGEST_CALLBACKS_ENABLED}; off by default, so a deployment without a secret still
 *                starts, and answers callbacks 404 {@code callbacks-disabled}
 */
@ConfigurationProperties("jobpipe.ingest.callbacks")
public record IngestCallbackProperties(@Bindable(defaultValue = "false") boolean enabled) {
    static final String ENABLED = "jobpipe.ingest.callbacks.enabled (JOBPIPE_INGEST_CALLBACKS_ENABLED)";
}
