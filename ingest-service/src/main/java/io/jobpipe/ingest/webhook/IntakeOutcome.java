package io.jobpipe.ingest.webhook;

import io.jobpipe.ingest.http.IngestProblemType;
import io.jobpipe.ingest.signature.Verdict;

/** How a webhook ended: its job request is in Kafka, or the sender gets a problem and Kafka got nothing. */
public sealed interface IntakeOutcome {

    /** The job id when one was assigned, even if it never reached Kafka (for the log). */
    String jobId();

    /** Whether Kafka acknowledged this webhook's job request: only then is a resend of it a duplicate. */
    boolean jobInKafka();

    /** @param duplicate the delivery was accepted before: {@code jobId} is that earlier job's, nothing was produced */
    record Accepted(String jobId, JobLinks links, boolean duplicate) implements IntakeOutcome {
        public Accepted(String jobId, JobLinks links) {
            this(jobId, links, false);
        }

        @Override
        public boolean jobInKafka() {
            return true;
        }
    }

    /**
     * The sender's scheme decides the answer: a handshake (no job, {@code jobId} null) or a reply of the sender's
     * own shape once the job request is in Kafka (Slack's slash commands).
     *
     * @param duplicate as {@link Accepted#duplicate()}: the reply names the earlier job, nothing was produced
     */
    record Answered(Verdict.Answer answer, String jobId, boolean duplicate) implements IntakeOutcome {
        public Answered(Verdict.Answer answer, String jobId) {
            this(answer, jobId, false);
        }

        @Override
        public boolean jobInKafka() {
            return jobId != null;
        }
    }

    record Refused(IngestProblemType problem, String detail, String jobId) implements IntakeOutcome {
        public Refused(IngestProblemType problem, String detail) {
            this(problem, detail, null);
        }

        @Override
        public boolean jobInKafka() {
            return false;
        }
    }
}
