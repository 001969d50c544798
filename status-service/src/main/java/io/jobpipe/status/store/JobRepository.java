package io.jobpipe.status.store;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.Optional;

/** The {@code jobs} table. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface JobRepository extends GenericRepository<JobEntity, String> {

    Optional<JobEntity> findById(String jobId);

    boolean existsById(String jobId);
}
