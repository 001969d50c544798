package io.jobpipe.support.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;

import java.util.Map;
import java.util.Optional;

/**
 * The extension point through which a service shapes the problems the shared processor writes. A service
 * declares at most one bean of this type; without one, framework errors are {@code about:blank} problems.
 * A service's own problem types are enums implementing {@link ProblemType}, raised with
 * {@link ProblemException} or written with {@link ProblemResponses}.
 */
public interface ProblemExtensions {

    /** The service's type for an error the framework answered with only {@code status}; empty for about:blank. */
    default Optional<ProblemType> frameworkType(int status) {
        return Optional.empty();
    }

    /** The detail of a framework 4xx with {@code status}, or null to keep the framework's own. */
    default String frameworkDetail(int status) {
        return null;
    }

    /** Members added to every problem answered to {@code request}, e.g. its request id and trace id. */
    default Map<String, Object> members(HttpRequest<?> request) {
        return Map.of();
    }

    /** Adds what goes with {@code problem} on the wire, e.g. Retry-After on a 503. */
    default void decorate(MutableHttpResponse<?> response, Problem problem) {
    }

    /** The behaviour of a service that extends nothing. */
    ProblemExtensions NONE = new ProblemExtensions() {
    };
}
