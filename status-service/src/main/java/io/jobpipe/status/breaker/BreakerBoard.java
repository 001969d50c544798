package io.jobpipe.status.breaker;

import io.jobpipe.core.breaker.BreakerState;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest state of every breaker that has one on {@code jobpipe.breakers}, in memory, as {@link BreakerTopicReader}
 * reads them; a breaker without a record is closed. Any replica reads the whole (compacted, one-partition) topic, so
 * every replica answers alike.
 */
@Singleton
public class BreakerBoard {
    private final Map<String, BreakerState> states = new ConcurrentHashMap<>();

    /** The latest record of {@code breaker} ({@code <pipeline>/<stage>}), or empty: closed, never switched. */
    public Optional<BreakerState> state(String breaker) {
        return Optional.ofNullable(states.get(breaker));
    }

    /** A record read from the topic: it replaces the breaker's earlier one (topic order, not {@code since}, decides). */
    void put(BreakerState state) {
        states.put(state.breaker(), state);
    }

    /** A tombstone: the breaker has no record any more, so it is closed. */
    void forget(String breaker) {
        states.remove(breaker);
    }
}
