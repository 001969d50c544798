package io.jobpipe.status.consumer;

import io.jobpipe.core.kafka.Topics;
import io.jobpipe.status.TestEvents;
import io.jobpipe.status.store.IncomingEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class JobEventDecoderTest {
    private final List<String> poisoned = new ArrayList<>();
    private final JobEventDecoder decoder = new JobEventDecoder(Topics.DEFAULT.jobEvents,
            (record, reason) -> poisoned.add(record.offset() + " " + reason.getMessage()));

    private static ConsumerRecord<String, byte[]> record(String key, byte[] value, String traceparent) {
        RecordHeaders headers = new RecordHeaders();
        if (traceparent != null) {
            headers.add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
        }
        return new ConsumerRecord<>("jobpipe.job.events", 0, 42L, 0L, TimestampType.CREATE_TIME, 0, 0, key, value,
                headers, Optional.empty());
    }

    @Test
    void shouldDecodeAJobEventWithItsTraceId() {
        var accepted = TestEvents.accepted("job-1", Instant.parse("2025-01-01T00:00:00Z"));
        byte[] json = TestEvents.json(accepted).getBytes(StandardCharsets.UTF_8);

        Optional<IncomingEvent> decoded = decoder.decode(record("job-1", json, TestEvents.TRACEPARENT));

        assertThat(decoded).isPresent();
        assertThat(decoded.get().event()).isEqualTo(accepted);
        assertThat(decoded.get().traceId()).isEqualTo(TestEvents.TRACE_ID);
        assertThat(decoded.get().json()).isEqualTo(TestEvents.json(accepted));
        assertThat(decoded.get().type()).isEqualTo("JobAccepted");
        assertThat(decoded.get().origin()).isEqualTo("jobpipe.job.events-0@42");
        assertThat(poisoned).isEmpty();
    }

    @Test
    void shouldDecodeWithoutTraceparent() {
        byte[] json = TestEvents.json(TestEvents.accepted("job-1", Instant.now())).getBytes(StandardCharsets.UTF_8);

        assertThat(decoder.decode(record("job-1", json, null)).orElseThrow().traceId()).isNull();
        assertThat(decoder.decode(record("job-1", json, "garbage")).orElseThrow().traceId()).isNull();
    }

    @Test
    void shouldSkipRecordsThatAreNotJobEvents() {
        assertThat(decoder.decode(record("k", "not json".getBytes(StandardCharsets.UTF_8), null))).isEmpty();
        assertThat(decoder.decode(record("k", "{\"type\":\"Nope\"}".getBytes(StandardCharsets.UTF_8), null))).isEmpty();
        assertThat(decoder.decode(record("k", null, null))).isEmpty();
        assertThat(poisoned).as("each goes to the poison topic").hasSize(3).first().asString().startsWith("42 not a valid JobEvent");
    }

    @Test
    void shouldSkipJobEventsMissingWhatTheReadModelNeeds() {
        String noJobId = "{\"type\":\"JobCompleted\",\"eventId\":\"e\",\"occurredAt\":\"2025-01-01T00:00:00Z\",\"seq\":3}";
        String noSeq = "{\"type\":\"JobCompleted\",\"eventId\":\"e\",\"jobId\":\"j\",\"occurredAt\":\"2025-01-01T00:00:00Z\"}";

        assertThat(decoder.decode(record("j", noJobId.getBytes(StandardCharsets.UTF_8), null))).isEmpty();
        assertThat(decoder.decode(record("j", noSeq.getBytes(StandardCharsets.UTF_8), null))).isEmpty();
        assertThat(poisoned).containsExactly("42 JobEvent has no jobId", "42 JobEvent has seq 0 (seq starts at 1)");
    }

    @Test
    void shouldLetTheLiveReaderTakeExactlyWhatTheProjectionTakesWithoutPoisoningAnything() {
        var accepted = TestEvents.accepted("job-1", Instant.parse("2025-01-01T00:00:00Z"));
        String noJobId = "{\"type\":\"JobCompleted\",\"eventId\":\"e\",\"occurredAt\":\"2025-01-01T00:00:00Z\",\"seq\":3}";
        ConsumerRecord<String, byte[]> good = record("job-1", TestEvents.json(accepted).getBytes(StandardCharsets.UTF_8),
                TestEvents.TRACEPARENT);

        Optional<IncomingEvent> live = JobEventDecoder.usable(Topics.DEFAULT.jobEvents, good);

        assertThat(live).isEqualTo(decoder.decode(good));
        for (byte[] bad : new byte[][]{null, "not json".getBytes(StandardCharsets.UTF_8),
                noJobId.getBytes(StandardCharsets.UTF_8)}) {
            assertThat(JobEventDecoder.usable(Topics.DEFAULT.jobEvents, record("j", bad, null))).isEmpty();
        }
        assertThat(poisoned).as("only the projection's decoding copies to the poison topic").isEmpty();
    }
}
