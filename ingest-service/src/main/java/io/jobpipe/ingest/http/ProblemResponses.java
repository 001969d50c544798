package io.jobpipe.ingest.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jobpipe.core.event.Json;
import io.jobpipe.ingest.config.IngestSettings;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;

/**
 * Writes problem documents as {@code application/problem+json} responses. The body is serialised here,
 * not by a message body writer chosen by media type, so every problem looks the same whatever the path.
 */
@Singleton
public final class ProblemResponses {
    private final IngestSettings settings;

    public ProblemResponses(IngestSettings settings) {
        this.settings = settings;
    }

    public MutableHttpResponse<byte[]> of(HttpRequest<?> request, ProblemType type, String detail) {
        return write(Problems.of(type, detail, request.getPath(),
                RequestAttributes.requestId(request), RequestAttributes.traceId(request)));
    }

    /** A 503 tells the sender when to come back; every other problem is final for this request. */
    public MutableHttpResponse<byte[]> write(Problem problem) {
        MutableHttpResponse<byte[]> response = HttpResponse.<byte[]>status(HttpStatus.valueOf(problem.status()))
                .contentType(Problem.MEDIA_TYPE)
                .body(toBytes(problem));
        if (problem.status() == HttpStatus.SERVICE_UNAVAILABLE.getCode()) {
            response.header(HttpHeaders.RETRY_AFTER, String.valueOf(settings.retryAfterSeconds()));
        }
        return response;
    }

    static byte[] toBytes(Problem problem) {
        try {
            return Json.MAPPER.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            // A record of strings and an int always serialises; this keeps the contract if it ever does not.
            return ("{\"type\":\"" + Problem.BLANK_TYPE + "\",\"status\":" + problem.status() + "}")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }
}
