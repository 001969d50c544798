package io.jobpipe.worker.kafka;

import io.jobpipe.core.event.StageResult;
import io.jobpipe.core.kafka.Topic;
import io.jobpipe.core.tracing.KafkaTraceHeaders;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Future;

/**
 * Writes a StageSucceeded/StageFailed to {@code jobpipe.stage.results}, key = jobId, carrying the agent span's
 * W3C context (a child of the request's, so in the job's trace): the orchestrator's transition on this result is
 * the agent span's child. Without a valid agent span (tracing disabled) the request's {@code traceparent} and
 * {@code tracestate} travel on unchanged, so the job's trace id is never lost.
 */
public final class StageResultPublisher {
    private static final String TRACESTATE = "tracestate";

    private final Producer<byte[], byte[]> producer;
    private final Topic<StageResult> topic;

    public StageResultPublisher(Producer<byte[], byte[]> producer, Topic<StageResult> topic) {
        this.producer = producer;
        this.topic = topic;
    }

    public Future<RecordMetadata> publish(StageResult result, Headers requestHeaders, SpanContext agentSpan) {
        byte[] value = topic.valueSerde().serializer().serialize(topic.name(), result);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic.name(),
                result.jobId().getBytes(StandardCharsets.UTF_8), value);
        if (agentSpan != null && agentSpan.isValid()) {
            // The agent span inherited the request's tracestate, so its context carries both headers.
            KafkaTraceHeaders.inject(Context.root().with(Span.wrap(agentSpan)), record.headers());
        } else {
            KafkaTraceHeaders.setTraceparent(record.headers(), KafkaTraceHeaders.traceparent(requestHeaders));
            Header tracestate = requestHeaders.lastHeader(TRACESTATE);
            if (tracestate != null) {
                record.headers().add(TRACESTATE, tracestate.value());
            }
        }
        return producer.send(record);
    }
}
