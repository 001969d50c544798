package io.jobpipe.status.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.status.projection.StageView;
import io.micronaut.core.annotation.Introspected;

import java.time.Instant;

/**
 * One stage in {@code GET /jobs/{id}}.
 *
 * @param log        the log tail of the stage's latest finished attempt (a command agent's stderr, at most 16 KiB), or
 *                   null when it logged nothing; every attempt's own log is in its event on {@code /jobs/{id}/events}
 * @param logAttempt the attempt that {@code log} is from
 */
@Introspected
public record StageDocument(String name, int position, String status, int attempts, Instant startedAt,
                            Instant endedAt, Long durationMs, String summary, JsonNode output, String error,
                            String log, Integer logAttempt) {

    static StageDocument of(StageView s) {
        return new StageDocument(s.name(), s.position(), s.status().name(), s.attempts(), s.startedAt(),
                s.endedAt(), s.durationMs(), s.summary(), s.output(), s.error(), s.log(), s.logAttempt());
    }
}
