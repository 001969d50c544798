package io.jobpipe.status.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/** {@code jobpipe.pipelines.file}: the pipeline catalog to load; empty means the built-in default. */
@ConfigurationProperties("jobpipe.pipelines")
public record PipelinesConfig(@Nullable String file) {
}
