package io.jobpipe.worker.kafka;

import org.apache.kafka.common.TopicIdPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The records whose lock renewal (a RENEW acknowledgement) has been sent and that the share consumer has not handed
 * back yet. Kafka 4.3's consumer takes a renewed record out of its batch when the RENEW goes out and returns it from
 * a later {@code poll()} once the broker has renewed the lock (same offset, same delivery count); a refused renewal
 * ends the delivery and the record never comes back. Used by the poll thread only.
 */
final class LockRenewals {
    private static final Logger LOG = LoggerFactory.getLogger(LockRenewals.class);
    /**
     * A renewed record not back after this many lock durations is given up: its lock has run out at the broker
     * whatever happened to the renewal, so the record may already be with another worker.
     */
    private static final int LOCKS_TO_WAIT = 2;

    private final Map<InFlightRecord.Key, InFlightRecord> pending = new HashMap<>();

    void sent(InFlightRecord record, long nanos) {
        record.renewed(nanos);
        pending.put(record.key(), record);
    }

    /** The record the consumer just returned, if it is one whose lock was renewed; else null (a new delivery). */
    InFlightRecord takeBack(InFlightRecord.Key key) {
        return pending.remove(key);
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    int size() {
        return pending.size();
    }

    /**
     * Some acknowledgements were refused (from the acknowledgement commit callback): the renewals among them failed,
     * and their records will not come back. Their agents go on and send their results; the records are no longer
     * this worker's to acknowledge and may be delivered again.
     */
    void refused(Map<TopicIdPartition, Set<Long>> offsets, Exception error) {
        offsets.forEach((partition, partitionOffsets) -> partitionOffsets.forEach(offset -> {
            InFlightRecord lost = pending.remove(new InFlightRecord.Key(partition.topic(), partition.partition(), offset));
            if (lost != null) {
                LOG.warn("lock of {}-{}@{} not renewed ({}); its agent goes on, but the record may be delivered again",
                        partition.topic(), partition.partition(), offset, error.toString());
            }
        }));
    }

    /** Gives up the records not back {@link #LOCKS_TO_WAIT} lock durations after their renewal was sent. */
    void expire(long nowNanos, long lockMs) {
        long patience = TimeUnit.MILLISECONDS.toNanos(lockMs * LOCKS_TO_WAIT);
        for (Iterator<InFlightRecord> it = pending.values().iterator(); it.hasNext(); ) {
            InFlightRecord record = it.next();
            if (nowNanos - record.renewedAtNanos() > patience) {
                it.remove();
                LOG.warn("{}-{}@{} did not come back {} ms after its lock renewal; giving it up", record.record().topic(),
                        record.record().partition(), record.record().offset(), lockMs * LOCKS_TO_WAIT);
            }
        }
    }
}
