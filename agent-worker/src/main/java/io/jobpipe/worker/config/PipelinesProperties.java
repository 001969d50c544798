package io.jobpipe.worker.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/** {@code jobpipe.pipelines.file}: the pipeline catalog; empty means the built-in default catalog. */
@ConfigurationProperties("jobpipe.pipelines")
public record PipelinesProperties(@Nullable String file) {
}
