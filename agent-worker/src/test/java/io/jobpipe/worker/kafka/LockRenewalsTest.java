package io.jobpipe.worker.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidRecordStateException;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Which renewed records the poll loop still waits for, and which it gives up. */
class LockRenewalsTest {
    private static final long LOCK_MS = 15_000;
    private final LockRenewals renewals = new LockRenewals();

    @Test
    void shouldHandBackARenewedRecordOnceByItsTopicPartitionAndOffset() {
        InFlightRecord record = inFlight(3, 42);
        renewals.sent(record, 0);

        assertThat(renewals.takeBack(new InFlightRecord.Key("stage", 4, 42))).as("another partition").isNull();
        assertThat(renewals.takeBack(new InFlightRecord.Key("stage", 3, 42))).isSameAs(record);
        assertThat(renewals.takeBack(new InFlightRecord.Key("stage", 3, 42))).as("a second delivery is new").isNull();
        assertThat(renewals.isEmpty()).isTrue();
    }

    @Test
    void shouldForgetARecordWhoseRenewalTheBrokerRefused() {
        renewals.sent(inFlight(3, 42), 0);
        renewals.sent(inFlight(3, 43), 0);

        renewals.refused(Map.of(new TopicIdPartition(Uuid.randomUuid(), 3, "stage"), Set.of(42L, 44L)),
                new InvalidRecordStateException("Renewing acquisition locks is not enabled for the group."));

        assertThat(renewals.size()).isEqualTo(1);
        assertThat(renewals.takeBack(new InFlightRecord.Key("stage", 3, 43))).isNotNull();
    }

    @Test
    void shouldGiveUpARecordNotBackWithinTwoLocks() {
        long sentAt = System.nanoTime();
        renewals.sent(inFlight(3, 42), sentAt);

        renewals.expire(sentAt + TimeUnit.MILLISECONDS.toNanos(2 * LOCK_MS), LOCK_MS);
        assertThat(renewals.size()).as("two locks, not more").isEqualTo(1);
        renewals.expire(sentAt + TimeUnit.MILLISECONDS.toNanos(2 * LOCK_MS + 1), LOCK_MS);
        assertThat(renewals.isEmpty()).isTrue();
    }

    private static InFlightRecord inFlight(int partition, long offset) {
        return new InFlightRecord(new ConsumerRecord<>("stage", partition, offset, new byte[0], new byte[0]));
    }
}
