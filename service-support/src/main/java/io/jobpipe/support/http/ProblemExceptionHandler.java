package io.jobpipe.support.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Answers a {@link ProblemException} with its problem document. */
@Singleton
public class ProblemExceptionHandler implements ExceptionHandler<ProblemException, HttpResponse<byte[]>> {
    private final ProblemResponses responses;

    public ProblemExceptionHandler(ProblemResponses responses) {
        this.responses = responses;
    }

    @Override
    public HttpResponse<byte[]> handle(HttpRequest request, ProblemException exception) {
        return responses.of(request, exception.type(), exception.getMessage(), exception.members());
    }
}
