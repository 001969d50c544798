package io.jobpipe.support.http;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * Makes the framework's own errors (no route 404, 405, 406, 413, 414, 415, 431, binding 400s, unhandled 500s) problem
 * documents like the services' own, for browsers too. A server error keeps its cause out of the answer
 * ({@link Problems#forStatus}); the service's {@link ProblemExtensions} names the types and adds its members.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public final class ProblemErrorResponseProcessor implements ErrorResponseProcessor<byte[]> {
    private final ProblemResponses responses;

    public ProblemErrorResponseProcessor(ProblemResponses responses) {
        this.responses = responses;
    }

    @Override
    public MutableHttpResponse<byte[]> processResponse(ErrorContext errorContext, MutableHttpResponse<?> baseResponse) {
        HttpRequest<?> request = errorContext.getRequest();
        ProblemExtensions extensions = responses.extensions();
        int status = statusOf(request, baseResponse.code());
        String detail = extensions.frameworkDetail(status);
        Map<String, Object> members = extensions.members(request);
        String reason = status == baseResponse.code() ? baseResponse.reason() : HttpStatus.valueOf(status).getReason();
        Problem problem = Problems.forStatus(status, reason,
                detail != null ? detail : frameworkDetail(errorContext), request.getPath(),
                extensions.frameworkType(status).orElse(null), members);
        MutableHttpResponse<byte[]> problemResponse = responses.write(problem);
        // Keep what the framework put on the response (e.g. Allow on a 405).
        baseResponse.getHeaders().forEachValue((name, value) -> {
            if (!problemResponse.getHeaders().contains(name)) {
                problemResponse.header(name, value);
            }
        });
        return problemResponse;
    }

    /**
     * Netty refuses a request line or header section over its limits before any route is chosen, and Micronaut
     * answers both with 413 as if the body were too large; RFC 9110/6585 have their own statuses for them.
     */
    static int statusOf(HttpRequest<?> request, int status) {
        if (status == 413 && request instanceof NettyHttpRequest<?> netty && netty.getNativeRequest() != null) {
            Throwable cause = netty.getNativeRequest().decoderResult().cause();
            if (cause instanceof TooLongHttpHeaderException) {
                return 431;
            }
            if (cause instanceof TooLongHttpLineException) {
                return 414;
            }
        }
        return status;
    }

    private static String frameworkDetail(ErrorContext errorContext) {
        if (!errorContext.hasErrors()) {
            return null;
        }
        return errorContext.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; "));
    }
}
