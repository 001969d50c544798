package io.jobpipe.status.api;

import com.fasterxml.jackson.annotation.JsonValue;
import io.micronaut.http.MediaType;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem document, sent as {@value #CONTENT_TYPE}.
 *
 * @param type   a URI naming the kind of problem; {@code about:blank} when the status says it all
 * @param extras members specific to the problem (the job id, the bad parameter), written at the top level
 */
public record Problem(String type, String title, int status, String detail, String instance,
                      Map<String, Object> extras) {
    public static final String CONTENT_TYPE = "application/problem+json";
    public static final MediaType MEDIA_TYPE = MediaType.of(CONTENT_TYPE);
    public static final String TYPE_PREFIX = "urn:jobpipe:problem:";

    public Problem {
        extras = extras == null ? Map.of() : Map.copyOf(extras);
    }

    /** The members in RFC order, absent ones left out, extras last. */
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
        extras.forEach(json::putIfAbsent);
        return json;
    }
}
