package io.jobpipe.status.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.status.projection.StageView;
import io.micronaut.core.annotation.Introspected;

import java.time.Instant;

/** One stage in {@code GET /jobs/{id}}. */
@Introspected
public record StageDocument(String name, int position, String status, int attempts, Instant startedAt,
                            Instant endedAt, Long durationMs, String summary, JsonNode output, String error) {

    static StageDocument of(StageView s) {
        return new StageDocument(s.name(), s.position(), s.status().name(), s.attempts(), s.startedAt(),
                s.endedAt(), s.durationMs(), s.summary(), s.output(), s.error());
    }
}
