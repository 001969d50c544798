package io.jobpipe.worker.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A record the poll loop holds under its acquisition lock, from the poll that acquired it to its final
 * acknowledgement, across any number of lock renewals. Its agent runs on the pool; {@code settled} completes when
 * the record's fate is known (see {@link StageRecordHandler#handle(ConsumerRecord, CompletableFuture)}).
 */
final class InFlightRecord {
    /** Where a record is in a partition: what identifies it again when the consumer hands it back after a renewal. */
    record Key(String topic, int partition, long offset) {
        static Key of(ConsumerRecord<?, ?> record) {
            return new Key(record.topic(), record.partition(), record.offset());
        }
    }

    private final ConsumerRecord<byte[], byte[]> record;
    private final CompletableFuture<PendingAck> settled = new CompletableFuture<>();
    private long renewedAtNanos;

    InFlightRecord(ConsumerRecord<byte[], byte[]> record) {
        this.record = record;
    }

    ConsumerRecord<byte[], byte[]> record() {
        return record;
    }

    Key key() {
        return Key.of(record);
    }

    /** Completed by the pool (or the agent's timeout) with the record's pending acknowledgement. */
    CompletableFuture<PendingAck> settled() {
        return settled;
    }

    /**
     * True once the record can be acknowledged at once: its fate is known and the write it waits on (result or
     * poison copy) has been answered by Kafka, so {@link PendingAck#await} does not block.
     */
    boolean readyToAcknowledge() {
        return settled.isDone() && settled.join().send().isDone();
    }

    /** Waits until {@link #readyToAcknowledge()} or {@code nanos} have passed, whichever is first. */
    void awaitReady(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        try {
            PendingAck ack = settled.get(nanos, TimeUnit.NANOSECONDS);
            ack.send().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // Not ready in time, or ready with a failed write: readyToAcknowledge() tells which.
        }
    }

    void renewed(long nanos) {
        renewedAtNanos = nanos;
    }

    /** When the poll thread last sent this record's RENEW ({@link System#nanoTime()}). */
    long renewedAtNanos() {
        return renewedAtNanos;
    }
}
