package io.jobpipe.status.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * {@code jobpipe.access.*}: which reads need a token ({@link io.jobpipe.status.ops.auth.AccessRules}); the tokens
 * are {@code jobpipe.ops.tokens}.
 *
 * @param listing {@code token} (default) or {@code open}: listing, search, stats, exports and the firehose
 *                (env {@code JOBPIPE_ACCESS_LISTING})
 * @param jobById {@code open} (default) or {@code token}: one job's status and SSE by its id
 *                (env {@code JOBPIPE_ACCESS_JOB_BY_ID})
 */
@ConfigurationProperties("jobpipe.access")
public record AccessProperties(@Bindable(defaultValue = "token") String listing,
                               @Bindable(defaultValue = "open") String jobById) {
}
