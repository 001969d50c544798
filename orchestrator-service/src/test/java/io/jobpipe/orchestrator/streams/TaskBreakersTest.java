package io.jobpipe.orchestrator.streams;

import io.jobpipe.core.breaker.BreakerState;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import io.jobpipe.core.kafka.JsonSerde;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** A task's view of the breakers: the global store, read at most every 100 ms per breaker, and its own writes on top. */
class TaskBreakersTest {
    static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void shouldRereadABreakerFromTheStoreOnlyAfterTheReuseTimeAndSeeItsOwnWriteAtOnce() {
        KeyValueStore<String, BreakerState> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("b"),
                Serdes.String(), new JsonSerde<>(BreakerState.class)).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        AtomicLong nanos = new AtomicLong();
        TaskBreakers breakers = new TaskBreakers(store, nanos::get);

        assertThat(breakers.stateOf("p/act")).isNull();
        store.put("p/act", state(BreakerState.Status.OPEN, T0));
        assertThat(breakers.stateOf("p/act")).as("read 0 ms ago: reused").isNull();
        nanos.addAndGet(TaskBreakers.REREAD_AFTER_NANOS);
        assertThat(breakers.stateOf("p/act").status()).isEqualTo(BreakerState.Status.OPEN);

        BreakerState probing = state(BreakerState.Status.HALF_OPEN, T0.plusSeconds(30));
        breakers.wrote(probing);
        assertThat(breakers.stateOf("p/act")).as("its own write before the store has it").isEqualTo(probing);
        store.put("p/act", state(BreakerState.Status.CLOSED, T0.plusSeconds(40)));
        nanos.addAndGet(TaskBreakers.REREAD_AFTER_NANOS);
        assertThat(breakers.stateOf("p/act").status()).as("a newer state from elsewhere wins")
                .isEqualTo(BreakerState.Status.CLOSED);
    }

    private static BreakerState state(BreakerState.Status status, Instant since) {
        return new BreakerState(null, "p", "act", status, since, "test", BreakerState.ORCHESTRATOR, false);
    }
}
