package io.jobpipe.ingest.dedup;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * How ingest recognises a delivery it has seen ({@code jobpipe.ingest.dedup}).
 *
 * @param jobIdKey      the secret job ids are derived from (HMAC-SHA256), at least 32 bytes, the same on every replica
 *                      ({@code JOBPIPE_JOB_ID_KEY}); only the dev profile has a default. Changing it changes the
 *                      job id of every later delivery, so a resend after a change is no longer recognised.
 * @param retention     how long a delivery is remembered; at least 7 days
 * @param pruneInterval how often each replica deletes deliveries older than {@code retention}
 */
@ConfigurationProperties("jobpipe.ingest.dedup")
public record DeduplicationProperties(
        @Nullable String jobIdKey,
        @Bindable(defaultValue = "7d") Duration retention,
        @Bindable(defaultValue = "1h") Duration pruneInterval) {
    static final Duration MIN_RETENTION = Duration.ofDays(7);

    public DeduplicationProperties {
        if (jobIdKey == null || jobIdKey.isBlank()) {
            throw new IllegalStateException("jobpipe.ingest.dedup.job-id-key is not set: set JOBPIPE_JOB_ID_KEY to a "
                    + "random secret of at least " + JobIds.MIN_KEY_BYTES + " bytes, the same on every ingest replica "
                    + "(e.g. `openssl rand -base64 48`); job ids are derived from it");
        }
        if (jobIdKey.getBytes(StandardCharsets.UTF_8).length < JobIds.MIN_KEY_BYTES) {
            throw new IllegalStateException("jobpipe.ingest.dedup.job-id-key (JOBPIPE_JOB_ID_KEY) must be at least "
                    + JobIds.MIN_KEY_BYTES + " bytes");
        }
        if (retention.compareTo(MIN_RETENTION) < 0) {
            throw new IllegalStateException("jobpipe.ingest.dedup.retention must be at least 7d, got " + retention);
        }
        if (pruneInterval.isNegative() || pruneInterval.isZero()) {
            throw new IllegalStateException("jobpipe.ingest.dedup.prune-interval must be positive, got " + pruneInterval);
        }
    }

    public byte[] jobIdKeyBytes() {
        return jobIdKey.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "DeduplicationProperties[jobIdKey=<secret>, retention=" + retention + ", pruneInterval=" + pruneInterval + "]";
    }
}
