package io.jobpipe.orchestrator.streams;

import io.jobpipe.core.event.StageRequested;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A stage request and its JSON, encoded once by the job processor (which must measure it before sending it) and
 * written to the stage topic as those very bytes by {@link #SERIALIZER}: a stage hop serializes its request once.
 */
record EncodedStageRequest(StageRequested request, byte[] json) {
    static final Serializer<EncodedStageRequest> SERIALIZER = (topic, encoded) -> encoded == null ? null : encoded.json();
}
