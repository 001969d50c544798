package io.jobpipe.ingest.signature;

import java.nio.charset.StandardCharsets;

/**
 * What a {@link SignatureScheme} concluded about one request: authentic (a job may start), answered at once
 * (a sender's handshake such as GitHub's {@code ping} or Slack's {@code url_verification}: no job), or refused
 * (401). A refusal's reason is shown to the sender, so it never names a secret or the expected signature.
 */
public sealed interface Verdict {

    /**
     * @param deliveryId the sender's id of this delivery, the same on every retry of it; null when it gave none
     * @param eventType  the sender's event type, never null
     * @param document   the bytes to parse as the job's JSON payload: the body itself, or the JSON a form-encoded
     *                   body carries ({@code payload=…}, or a Slack slash command's fields)
     * @param reply      how to answer once the job request is in Kafka; null for the usual 202
     */
    record Authentic(String deliveryId, String eventType, byte[] document, AcceptedReply reply) implements Verdict {
        public Authentic {
            if (eventType == null || eventType.isBlank()) {
                throw new IllegalArgumentException("eventType must not be blank");
            }
        }
    }

    /** Answer the sender now with this status and body; no job starts. */
    record Answer(int status, String contentType, byte[] body) implements Verdict {
        public static Answer json(int status, String json) {
            return new Answer(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
        }
    }

    record Refused(String reason) implements Verdict {
    }

    /** A sender that expects a body of its own shape once the job is accepted (Slack's slash commands). */
    @FunctionalInterface
    interface AcceptedReply {
        Answer answer(String jobId, String statusUrl);
    }
}
