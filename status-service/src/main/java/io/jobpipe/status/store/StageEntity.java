package io.jobpipe.status.store;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.EmbeddedId;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.sql.ColumnTransformer;

import java.time.Instant;

/**
 * A row of {@code job_stages}. See {@link io.jobpipe.status.projection.StageView} for the meaning of each column.
 *
 * @param output the stage's JSON output, as text
 */
@MappedEntity("job_stages")
public record StageEntity(@EmbeddedId StageKey id,
                          int position,
                          String status,
                          int attempts,
                          @Nullable Instant startedAt,
                          @Nullable Instant endedAt,
                          @Nullable Long durationMs,
                          @Nullable String summary,
                          // JDBC would bind the text as varchar, which PostgreSQL does not cast to jsonb implicitly.
                          @Nullable @ColumnTransformer(write = "CAST(? AS jsonb)") String output,
                          @Nullable String error,
                          @Nullable String log,
                          @Nullable Integer logAttempt) {
}
