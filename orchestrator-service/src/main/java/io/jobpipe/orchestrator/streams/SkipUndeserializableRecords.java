package io.jobpipe.orchestrator.streams;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * A record on an input topic that is not a valid event is logged (topic, partition, offset, reason) and
 * skipped, so one bad producer never stops a partition and every job behind it. The record stays in its
 * topic for inspection; routing it to a poison topic is left for later.
 */
public final class SkipUndeserializableRecords implements DeserializationExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SkipUndeserializableRecords.class);

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        LOG.warn("skipping undeserializable record {}-{}@{}: {}", context.topic(), context.partition(),
                context.offset(), exception.getMessage());
        return Response.resume();
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}
