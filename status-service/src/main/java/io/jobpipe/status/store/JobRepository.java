package io.jobpipe.status.store;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code jobs} table. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface JobRepository extends GenericRepository<JobEntity, String> {

    Optional<JobEntity> findById(String jobId);

    boolean existsById(String jobId);

    /** The row, locked until the transaction ends, so two projectors never interleave on one job. */
    @Query("SELECT * FROM jobs WHERE job_id = :jobId FOR UPDATE")
    Optional<JobEntity> findByIdForUpdate(String jobId);

    JobEntity save(JobEntity job);

    JobEntity update(JobEntity job);

    /** The newest jobs, newest first. */
    @Query("SELECT * FROM jobs ORDER BY created_at DESC, job_id DESC LIMIT :limit")
    List<JobEntity> findNewest(int limit);

    /** The jobs just older than the keyset (createdAt, jobId), newest first. */
    @Query("""
            SELECT * FROM jobs
            WHERE (created_at, job_id) < (:createdAt, :jobId)
            ORDER BY created_at DESC, job_id DESC
            LIMIT :limit""")
    List<JobEntity> findOlderThan(Instant createdAt, String jobId, int limit);
}
