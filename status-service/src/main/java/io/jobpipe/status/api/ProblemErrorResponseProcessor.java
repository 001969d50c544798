package io.jobpipe.status.api;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

import java.util.stream.Collectors;

/**
 * Every error Micronaut itself answers (unknown route, bad conversion, unsupported method, an unhandled
 * exception) as an RFC 9457 problem instead of Micronaut's own JSON or HTML. A 500 never carries the
 * exception's message: the log has it.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Problem> {

    @Override
    public MutableHttpResponse<Problem> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        HttpStatus status = response.status();
        String detail = status.getCode() >= 500
                ? "the server failed to answer; the error is logged"
                : context.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; "));
        Problem problem = new Problem("about:blank", status.getReason(), status.getCode(),
                detail.isBlank() ? null : detail, context.getRequest().getPath(), null);
        return response.contentType(Problem.MEDIA_TYPE).body(problem);
    }
}
