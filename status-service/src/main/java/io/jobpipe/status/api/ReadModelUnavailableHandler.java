package io.jobpipe.status.api;

import io.jobpipe.status.store.ReadModelUnavailableException;
import io.jobpipe.support.http.ProblemResponses;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A read that PostgreSQL did not answer in time is a 503 problem with {@code Retry-After}: the client learns within
 * the read deadline that it should come back, instead of hanging. Nothing was changed by a read, so a retry is safe.
 */
@Singleton
public class ReadModelUnavailableHandler implements ExceptionHandler<ReadModelUnavailableException, HttpResponse<byte[]>> {
    private static final Logger LOG = LoggerFactory.getLogger(ReadModelUnavailableHandler.class);

    private final ProblemResponses responses;

    public ReadModelUnavailableHandler(ProblemResponses responses) {
        this.responses = responses;
    }

    @Override
    public HttpResponse<byte[]> handle(HttpRequest request, ReadModelUnavailableException exception) {
        // One line per refused request at most: the access log has the 503, this says why.
        LOG.warn("{} {}: {}", request.getMethodName(), request.getPath(), exception.getMessage());
        return responses.of(request, StatusProblems.READ_MODEL_UNAVAILABLE, "The job database (PostgreSQL) did not"
                + " answer in time; nothing was changed. Retry after the Retry-After delay; /health/readiness says"
                + " when it is back.");
    }
}
