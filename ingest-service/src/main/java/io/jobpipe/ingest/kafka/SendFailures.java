package io.jobpipe.ingest.kafka;

import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Sorts the ways a send can fail by what the sender should do: send less, retry later, or nothing
 * (our bug). Anything unrecognised counts as "retry later", the answer that loses no webhook.
 */
public final class SendFailures {

    /**
     * What a sender is told when Kafka did not acknowledge in time. The record may still have been written (a
     * paused broker that resumes writes it), so this never says nothing was accepted; it says what is safe.
     */
    public static final String NOT_ACKNOWLEDGED_DETAIL = "Kafka did not acknowledge the event in time. It may still"
            + " have been recorded and may run; retry later with the same delivery id (X-GitHub-Delivery, webhook-id"
            + " or Idempotency-Key), which is safe: a delivery id already recorded is answered with its job and never"
            + " starts a second one.";

    public enum Kind {
        /** The record is larger than the broker accepts: retrying cannot help. */
        TOO_LARGE,
        /** The broker did not acknowledge in time or refused for now: retrying later can help. */
        UNAVAILABLE,
        /** The event could not be serialised: a defect in ingest. */
        INTERNAL
    }

    private SendFailures() {
    }

    public static Kind classify(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof RecordTooLargeException) {
            return Kind.TOO_LARGE;
        }
        if (cause instanceof SerializationException) {
            return Kind.INTERNAL;
        }
        return Kind.UNAVAILABLE;
    }

    /**
     * Classifies {@code error} and logs it on {@code log}: our own defect with its stack trace, anything else in one
     * line.
     *
     * @param what what was not written ("job request")
     */
    public static Kind classifyAndLog(Throwable error, Logger log, String what) {
        Kind kind = classify(error);
        if (kind == Kind.INTERNAL) {
            log.error("{} could not be written to Kafka", what, error);
        } else {
            log.warn("{} not acknowledged by Kafka: {}", what, describe(error));
        }
        return kind;
    }

    public static String describe(Throwable error) {
        Throwable cause = unwrap(error);
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
