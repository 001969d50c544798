package io.jobpipe.support.http;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem document, the one shape every service answers errors with.
 *
 * @param type       a URI naming the kind of problem; {@value #BLANK_TYPE} when the status says it all
 * @param title      the same for every occurrence of the type
 * @param status     the HTTP status
 * @param detail     what happened this time; never internal exception text on a 5xx
 * @param instance   the request path
 * @param extensions members of the service's own (a request id, a job id, the bad parameter), written at the
 *                   top level after the RFC's; null values are left out
 */
public record Problem(String type, String title, int status, String detail, String instance,
                      Map<String, Object> extensions) {
    public static final String MEDIA_TYPE = "application/problem+json";
    /** RFC 9457 §4.2: a problem with no more specific type than its HTTP status. */
    public static final String BLANK_TYPE = "about:blank";
    /** No host of ours serves problem pages, so the types are URNs rather than URLs that would 404. */
    public static final String TYPE_PREFIX = "urn:jobpipe:problem:";

    public Problem {
        Map<String, Object> present = new LinkedHashMap<>();
        if (extensions != null) {
            extensions.forEach((name, value) -> {
                if (value != null) {
                    present.put(name, value);
                }
            });
        }
        extensions = Collections.unmodifiableMap(present);
    }

    /** A problem of a known type. */
    public static Problem of(ProblemType type, String detail, String instance, Map<String, Object> extensions) {
        return new Problem(type.uri(), type.title(), type.status(), detail, instance, extensions);
    }

    /** This problem with more extension members; those already present win. */
    public Problem withExtensions(Map<String, Object> more) {
        Map<String, Object> merged = new LinkedHashMap<>(more);
        merged.putAll(extensions);
        return new Problem(type, title, status, detail, instance, merged);
    }

    /** The members in RFC order, absent ones left out, extensions last (never shadowing an RFC member). */
    @JsonValue
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", type);
        json.put("title", title);
        json.put("status", status);
        if (detail != null) {
            json.put("detail", detail);
        }
        if (instance != null) {
            json.put("instance", instance);
        }
        extensions.forEach(json::putIfAbsent);
        return json;
    }
}
