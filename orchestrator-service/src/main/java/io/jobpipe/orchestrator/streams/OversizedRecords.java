package io.jobpipe.orchestrator.streams;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The backstop for a record Kafka refuses to take, too large or unserializable: it is logged with its topic and
 * job and dropped, and the stream thread goes on. Failing here would kill the thread and, replaced, it would meet
 * the same record again: every job of the partition would stall behind one.
 * <p>The job processor keeps this from mattering: it measures each stage request before it sends it and fails the
 * job whose request is too large, clearly, in the job's own history ({@link JobProcessor}). What still lands here
 * is logged at ERROR because its job's history may now miss a record; and under exactly-once the producer may have
 * to abort the transaction anyway (the records around it are then processed again), which is why the size check
 * before sending, not this handler, is the guarantee.
 */
public final class OversizedRecords implements ProductionExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(OversizedRecords.class);

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (!(exception instanceof RecordTooLargeException)) {
            // Anything else (a broker refusing a transaction, authorization) is not this record's fault.
            return Response.fail();
        }
        LOG.error("record for {} (key {}, {} bytes) refused by Kafka and dropped: {}", record.topic(), key(record),
                record.value() == null ? 0 : record.value().length, exception.getMessage());
        return Response.resume();
    }

    @Override
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                             SerializationExceptionOrigin origin) {
        LOG.error("record for {} could not be serialized ({}) and was dropped: {}", record.topic(), origin,
                exception.getMessage(), exception);
        return Response.resume();
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }

    private static String key(ProducerRecord<byte[], byte[]> record) {
        return record.key() == null ? null : new String(record.key(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
