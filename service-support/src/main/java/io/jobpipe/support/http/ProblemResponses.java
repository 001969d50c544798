package io.jobpipe.support.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jobpipe.core.event.Json;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Writes problem documents as {@value Problem#MEDIA_TYPE} responses. The body is serialised here, not by a
 * message body writer chosen by media type, so every problem looks the same whatever the path and whatever
 * the service's Jackson settings.
 */
@Singleton
public final class ProblemResponses {
    private final ProblemExtensions extensions;

    public ProblemResponses(Optional<ProblemExtensions> extensions) {
        this.extensions = extensions.orElse(ProblemExtensions.NONE);
    }

    /** A problem of {@code type} about {@code request}, with the service's members. */
    public MutableHttpResponse<byte[]> of(HttpRequest<?> request, ProblemType type, String detail) {
        return of(request, type, detail, Map.of());
    }

    public MutableHttpResponse<byte[]> of(HttpRequest<?> request, ProblemType type, String detail,
                                          Map<String, Object> members) {
        Problem problem = Problem.of(type, detail, request.getPath(), members)
                .withExtensions(extensions.members(request));
        return write(problem);
    }

    public MutableHttpResponse<byte[]> write(Problem problem) {
        MutableHttpResponse<byte[]> response = HttpResponse.<byte[]>status(HttpStatus.valueOf(problem.status()))
                .contentType(Problem.MEDIA_TYPE)
                .body(toBytes(problem));
        extensions.decorate(response, problem);
        return response;
    }

    ProblemExtensions extensions() {
        return extensions;
    }

    public static byte[] toBytes(Problem problem) {
        try {
            return Json.MAPPER.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            // A map of strings and numbers always serialises; this keeps the contract if it ever does not.
            return ("{\"type\":\"" + Problem.BLANK_TYPE + "\",\"status\":" + problem.status() + "}")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }
}
