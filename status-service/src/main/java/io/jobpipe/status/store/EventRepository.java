package io.jobpipe.status.store;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The {@code job_events} table: every job's history, and the projection's record of what it has seen. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface EventRepository extends GenericRepository<EventEntity, EventKey> {

    /** Up to {@code limit} events of the job with seq above {@code afterSeq}, in seq order. */
    @Query("""
            SELECT * FROM job_events
            WHERE job_id = :jobId AND seq > :afterSeq
            ORDER BY seq
            LIMIT :limit""")
    List<EventEntity> findAfter(String jobId, long afterSeq, int limit);

    /** The job's events of these types, in seq order. */
    @Query("SELECT * FROM job_events WHERE job_id = :jobId AND type IN (:types) ORDER BY seq")
    List<EventEntity> findOfTypes(String jobId, Collection<String> types);

    /** The job's latest event of {@code type}: one row, however many of that type the job has. */
    @Query("SELECT * FROM job_events WHERE job_id = :jobId AND type = :type ORDER BY seq DESC LIMIT 1")
    Optional<EventEntity> findLatestOfType(String jobId, String type);

    /** The type of the job's newest event, or null when it has none. */
    @Query("SELECT type FROM job_events WHERE job_id = :jobId ORDER BY seq DESC LIMIT 1")
    String findLastType(String jobId);
}
