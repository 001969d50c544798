package io.jobpipe.status.deadletter;

import io.jobpipe.core.kafka.DeadLetterHeaders;
import io.jobpipe.status.store.DeadLetterRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Any dead-letter record, readable or not, becomes a row. */
class DeadLetterDecoderTest {
    private static final DeadLetterDecoder DECODER = new DeadLetterDecoder(Map.of("jobpipe.stage.act.dlq", "act"));

    private static ConsumerRecord<byte[], byte[]> record(String key, byte[] value, RecordHeaders headers) {
        return new ConsumerRecord<>("jobpipe.stage.act.dlq", 1, 42L, 0L, TimestampType.CREATE_TIME, -1, -1,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, headers, Optional.empty());
    }

    @Test
    void shouldReadTheHeadersAndKeepAJsonValueAsJson() {
        RecordHeaders headers = new RecordHeaders();
        DeadLetterHeaders.put(headers, DeadLetterHeaders.ERROR_CLASS, "StageTimeout");
        DeadLetterHeaders.put(headers, DeadLetterHeaders.ATTEMPTS, "5");
        DeadLetterHeaders.put(headers, DeadLetterHeaders.LAST_FAILURE, "2025-01-01T00:00:05Z");
        DeadLetterHeaders.put(headers, DeadLetterHeaders.TRACE_ID, "abc");

        DeadLetterRecord row = DECODER.decode(record("job-1",
                "{\"type\":\"StageRequested\",\"jobId\":\"job-1\"}".getBytes(StandardCharsets.UTF_8), headers));

        assertThat(row.jobId()).isEqualTo("job-1");
        assertThat(row.stage()).isEqualTo("act");
        assertThat(row.partition()).isEqualTo(1);
        assertThat(row.offset()).isEqualTo(42L);
        assertThat(row.errorClass()).isEqualTo("StageTimeout");
        assertThat(row.attempts()).isEqualTo(5);
        assertThat(row.lastFailureAt()).isEqualTo(Instant.parse("2025-01-01T00:00:05Z"));
        assertThat(row.traceId()).isEqualTo("abc");
        assertThat(row.valueJson()).contains("StageRequested");
        assertThat(row.rawValue()).isNull();
    }

    @Test
    void shouldKeepAnUnreadableValueRawAndUnparsableHeadersAsText() {
        RecordHeaders headers = new RecordHeaders();
        DeadLetterHeaders.put(headers, DeadLetterHeaders.ATTEMPTS, "many");
        DeadLetterHeaders.put(headers, DeadLetterHeaders.FAILED_AT, "yesterday");
        byte[] garbage = {1, 2, 3, (byte) 0xfe};

        DeadLetterRecord row = DECODER.decode(record(null, garbage, headers));

        assertThat(row.rawValue()).isEqualTo(garbage);
        assertThat(row.valueJson()).isNull();
        assertThat(row.jobId()).isNull();
        assertThat(row.attempts()).isNull();
        assertThat(row.lastFailureAt()).isNull();
        assertThat(row.headers()).containsEntry(DeadLetterHeaders.ATTEMPTS, "many");
    }

    @Test
    void shouldTakeAScalarJsonValueAsRawAndTheJobIdFromTheValueWithoutAKey() {
        assertThat(DECODER.decode(record("k", "42".getBytes(StandardCharsets.UTF_8), new RecordHeaders())).valueJson())
                .isNull();
        assertThat(DECODER.decode(record(null, "{\"jobId\":\"job-9\"}".getBytes(StandardCharsets.UTF_8),
                new RecordHeaders())).jobId()).isEqualTo("job-9");
    }
}
