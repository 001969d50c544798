package io.jobpipe.status.store;

import io.micronaut.data.annotation.EmbeddedId;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.sql.ColumnTransformer;

import java.time.Instant;

/**
 * A row of {@code job_events}: one job event as the orchestrator wrote it.
 *
 * @param type the event's JSON type name ({@code JobAccepted}, {@code StageCompleted}, …)
 * @param body the event's JSON, as text
 */
@MappedEntity("job_events")
public record EventEntity(@EmbeddedId EventKey id,
                          String eventId,
                          String type,
                          Instant occurredAt,
                          @ColumnTransformer(write = "CAST(? AS jsonb)") String body) {

    public long seq() {
        return id.seq();
    }
}
