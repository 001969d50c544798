package io.jobpipe.ingest.http;

import io.jobpipe.ingest.config.IngestSettings;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

import java.util.stream.Collectors;

/**
 * Makes the framework's own errors (no route 404, 405, 406, 413, 415, binding 400s, unhandled 500s)
 * problem documents like ingest's, for browsers too. Server errors keep their cause out of the answer;
 * the request id leads to the log line that has it.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public final class ProblemErrorResponseProcessor implements ErrorResponseProcessor<byte[]> {
    private final ProblemResponses responses;
    private final IngestSettings settings;

    public ProblemErrorResponseProcessor(ProblemResponses responses, IngestSettings settings) {
        this.responses = responses;
        this.settings = settings;
    }

    @Override
    public MutableHttpResponse<byte[]> processResponse(ErrorContext errorContext, MutableHttpResponse<?> baseResponse) {
        HttpRequest<?> request = errorContext.getRequest();
        int status = baseResponse.code();
        String detail = status == ProblemType.PAYLOAD_TOO_LARGE.status()
                ? Problems.tooLargeDetail(settings.maxBodyBytes())
                : frameworkDetail(errorContext);
        Problem problem = Problems.forStatus(status, baseResponse.reason(), detail, request.getPath(),
                RequestAttributes.requestId(request), RequestAttributes.traceId(request));
        MutableHttpResponse<byte[]> problemResponse = responses.write(problem);
        // Keep what the framework put on the response (e.g. Allow on a 405).
        baseResponse.getHeaders().forEachValue((name, value) -> {
            if (!problemResponse.getHeaders().contains(name)) {
                problemResponse.header(name, value);
            }
        });
        return problemResponse;
    }

    private static String frameworkDetail(ErrorContext errorContext) {
        if (!errorContext.hasErrors()) {
            return null;
        }
        return errorContext.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; "));
    }
}
