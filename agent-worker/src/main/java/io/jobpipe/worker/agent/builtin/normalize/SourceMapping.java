package io.jobpipe.worker.agent.builtin.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.worker.agent.builtin.CanonicalEvent;

/** Turns one source's payloads into canonical events. */
public interface SourceMapping {

    boolean recognises(String connection, String eventType, JsonNode payload);

    CanonicalEvent map(String connection, String eventType, JsonNode payload);
}
