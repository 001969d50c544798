package io.jobpipe.status.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * {@code jobpipe.status.artifacts.*}: where status-service finds the files jobs' stages wrote.
 *
 * @param root     the agents' workspace, the same folder the workers write to (env {@code JOBPIPE_WORKSPACE});
 *                 status only reads it
 * @param maxBytes the largest artifact a download serves (the file is read and its digest checked before the answer)
 */
@ConfigurationProperties("jobpipe.status.artifacts")
public record ArtifactProperties(@Bindable(defaultValue = ".jobpipe/workspace") String root,
                                 @Bindable(defaultValue = "33554432") long maxBytes) {
}
