package io.jobpipe.orchestrator.streams;

import io.jobpipe.core.breaker.BreakerState;
import io.jobpipe.core.kafka.JsonSerde;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@value OrchestratorTopology#BREAKERS_STORE} global store equal to {@code jobpipe.breakers}: key =
 * breaker, value = its latest BreakerState (a tombstone removes it: CLOSED). The values are read here, not by the
 * source's deserializer, so a record that is not a BreakerState (someone typing into the topic by hand) is logged and
 * skipped instead of reaching the exception handlers, which copy to the poison topic only from stream tasks.
 */
final class BreakerStoreUpdater implements Processor<String, byte[], Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(BreakerStoreUpdater.class);
    private static final JsonSerde<BreakerState> SERDE = new JsonSerde<>(BreakerState.class);

    private KeyValueStore<String, BreakerState> store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(OrchestratorTopology.BREAKERS_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null) {
            LOG.warn("skipping a breakers record without a key");
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
            return;
        }
        try {
            BreakerState state = SERDE.fromBytes(record.value());
            if (!record.key().equals(state.breaker())) {
                LOG.warn("skipping breakers record keyed {} about breaker {}", record.key(), state.breaker());
                return;
            }
            store.put(record.key(), state);
        } catch (RuntimeException e) {
            LOG.warn("skipping unreadable breakers record keyed {}: {}", record.key(), e.toString());
        }
    }
}
