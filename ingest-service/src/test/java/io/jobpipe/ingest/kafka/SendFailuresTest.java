package io.jobpipe.ingest.kafka;

import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

class SendFailuresTest {

    @Test
    void shouldTellTheSenderToSendLessWhenTheRecordIsTooLarge() {
        assertThat(SendFailures.classify(new CompletionException(new RecordTooLargeException("too big"))))
                .isEqualTo(SendFailures.Kind.TOO_LARGE);
    }

    @Test
    void shouldTellTheSenderToRetryWhenKafkaDidNotAnswer() {
        assertThat(SendFailures.classify(new TimeoutException("expired"))).isEqualTo(SendFailures.Kind.UNAVAILABLE);
        assertThat(SendFailures.classify(new CompletionException(new NetworkException("gone"))))
                .isEqualTo(SendFailures.Kind.UNAVAILABLE);
        assertThat(SendFailures.classify(new java.util.concurrent.TimeoutException()))
                .isEqualTo(SendFailures.Kind.UNAVAILABLE);
    }

    @Test
    void shouldCallASerialisationFailureOurs() {
        assertThat(SendFailures.classify(new SerializationException("bad"))).isEqualTo(SendFailures.Kind.INTERNAL);
    }

    @Test
    void shouldDescribeTheRootCauseNotItsWrapper() {
        assertThat(SendFailures.describe(new CompletionException(new TimeoutException("Expiring 1 record(s)"))))
                .isEqualTo("TimeoutException: Expiring 1 record(s)");
    }

    @Test
    void shouldNeverTellASenderWhoseEventMayHaveBeenWrittenThatNothingWasAccepted() {
        // Observed with a paused broker: a 503 after a timeout, and the record was on the topic once it resumed.
        assertThat(SendFailures.NOT_ACKNOWLEDGED_DETAIL)
                .doesNotContainIgnoringCase("nothing was accepted")
                .contains("may still have been recorded")
                .contains("same delivery id")
                .contains("safe");
    }
}
