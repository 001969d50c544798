package io.jobpipe.support.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * {@code jobpipe.pipelines.*}, read by every service.
 *
 * @param file the pipeline catalog YAML; empty or absent means the built-in seven-stage catalog
 */
@ConfigurationProperties("jobpipe.pipelines")
public record PipelinesProperties(@Nullable String file) {

    public PipelinesProperties {
        file = file == null ? "" : file.trim();
    }
}
