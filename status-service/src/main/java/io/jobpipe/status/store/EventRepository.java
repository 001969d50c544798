package io.jobpipe.status.store;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;

/** The {@code job_events} table: every job's history, and the projection's record of what it has seen. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface EventRepository extends GenericRepository<EventEntity, EventKey> {

    /** Stores the event unless (jobId, seq) is already there; returns 1 if it was new, 0 if it was a repeat. */
    @Query("""
            INSERT INTO job_events (job_id, seq, event_id, type, occurred_at, body)
            VALUES (:jobId, :seq, :eventId, :type, :occurredAt, CAST(:body AS jsonb))
            ON CONFLICT (job_id, seq) DO NOTHING""")
    long insertIfAbsent(String jobId, long seq, String eventId, String type, Instant occurredAt, String body);

    /** Up to {@code limit} events of the job with seq above {@code afterSeq}, in seq order. */
    @Query("""
            SELECT * FROM job_events
            WHERE job_id = :jobId AND seq > :afterSeq
            ORDER BY seq
            LIMIT :limit""")
    List<EventEntity> findAfter(String jobId, long afterSeq, int limit);

    /** The type of the job's newest event, or null when it has none. */
    @Query("SELECT type FROM job_events WHERE job_id = :jobId ORDER BY seq DESC LIMIT 1")
    String findLastType(String jobId);
}
