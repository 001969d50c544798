package io.jobpipe.orchestrator.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/** {@code jobpipe.pipelines.file}: the pipeline catalog YAML; empty means the built-in default catalog. */
@ConfigurationProperties("jobpipe.pipelines")
public record PipelinesConfiguration(@Nullable String file) {
}
