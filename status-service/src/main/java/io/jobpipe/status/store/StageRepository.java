package io.jobpipe.status.store;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;

/** The {@code job_stages} table. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface StageRepository extends GenericRepository<StageEntity, StageKey> {

    /** The stages of a job in pipeline order. */
    @Query("SELECT * FROM job_stages WHERE job_id = :jobId ORDER BY position, stage")
    List<StageEntity> findByJobId(String jobId);
}
