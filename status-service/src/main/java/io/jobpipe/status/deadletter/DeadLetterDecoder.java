package io.jobpipe.status.deadletter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.kafka.DeadLetterHeaders;
import io.jobpipe.status.store.DeadLetterRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns any record of a dead-letter topic into a {@link DeadLetterRecord}; never fails, because a dead letter is
 * exactly the record nobody else could read. A JSON value is kept as JSON, anything else as raw bytes; headers
 * that do not parse (a non-numeric attempt count, a bad instant) are kept as text and left out of their column.
 */
final class DeadLetterDecoder {
    private final Map<String, String> stageOfTopic;

    /** @param stageOfTopic the stage of each dead-letter topic consumed */
    DeadLetterDecoder(Map<String, String> stageOfTopic) {
        this.stageOfTopic = Map.copyOf(stageOfTopic);
    }

    DeadLetterRecord decode(ConsumerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value() == null ? "" : utf8(header.value()));
        }
        JsonNode json = json(record.value());
        String jobId = record.key() != null ? utf8(record.key())
                : json != null && json.hasNonNull("jobId") ? json.get("jobId").asText() : null;
        String lastFailure = headers.getOrDefault(DeadLetterHeaders.LAST_FAILURE,
                headers.get(DeadLetterHeaders.FAILED_AT));
        return new DeadLetterRecord(record.topic(), record.partition(), record.offset(), jobId,
                stageOfTopic.getOrDefault(record.topic(), record.topic()),
                headers.get(DeadLetterHeaders.ERROR_CLASS), headers.get(DeadLetterHeaders.ERROR_MESSAGE),
                integer(headers.get(DeadLetterHeaders.ATTEMPTS)), instant(headers.get(DeadLetterHeaders.FIRST_FAILURE)),
                instant(lastFailure), headers.get(DeadLetterHeaders.TRACE_ID),
                headers.get(DeadLetterHeaders.DEAD_LETTERED_BY), headers.get(DeadLetterHeaders.REASON), headers,
                json == null ? null : json.toString(), json == null ? record.value() : null);
    }

    /** The same record stored raw: what is left when PostgreSQL refuses its JSON (e.g. a \u0000 in a string). */
    static DeadLetterRecord raw(DeadLetterRecord record) {
        byte[] value = record.rawValue() != null ? record.rawValue()
                : record.valueJson() == null ? null : record.valueJson().getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        record.headers().forEach((k, v) -> headers.put(k.replace('\u0000', '?'), v.replace('\u0000', '?')));
        return new DeadLetterRecord(record.topic(), record.partition(), record.offset(), clean(record.jobId()),
                clean(record.stage()), clean(record.errorClass()), clean(record.errorMessage()), record.attempts(),
                record.firstFailureAt(), record.lastFailureAt(), clean(record.traceId()),
                clean(record.deadLetteredBy()), clean(record.reason()), headers, null, value);
    }

    private static String clean(String text) {
        return text == null ? null : text.replace('\u0000', '?');
    }

    /** The value as JSON when it is a JSON object or array, else null. */
    private static JsonNode json(byte[] value) {
        if (value == null || value.length == 0) {
            return null;
        }
        try {
            JsonNode node = Json.MAPPER.readTree(value);
            return node != null && node.isContainerNode() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static Integer integer(String text) {
        try {
            return text == null ? null : Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
