package io.jobpipe.status.store;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The {@code jobs} table. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface JobRepository extends GenericRepository<JobEntity, String> {

    Optional<JobEntity> findById(String jobId);

    boolean existsById(String jobId);

    /** The rows of these jobs, locked until the transaction ends, taken in job id order so two projectors never deadlock. */
    @Query("SELECT * FROM jobs WHERE job_id IN (:jobIds) ORDER BY job_id FOR UPDATE")
    List<JobEntity> findAllByIdForUpdate(Collection<String> jobIds);
}
