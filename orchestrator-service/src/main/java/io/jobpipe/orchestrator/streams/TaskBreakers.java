package io.jobpipe.orchestrator.streams;

import io.jobpipe.core.breaker.BreakerState;
import io.jobpipe.orchestrator.machine.BreakerView;
import io.jobpipe.orchestrator.machine.JobState;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The circuit breakers as one task sees them: the {@value OrchestratorTopology#BREAKERS_STORE} global store (every
 * instance's writes and the operators', as the global thread reads them from {@code jobpipe.breakers}), overlaid
 * with what this task wrote itself and the global store has not caught up with yet; and the task's held jobs per
 * breaker, so a closing breaker releases them without a scan of the job store.
 */
final class TaskBreakers implements BreakerView {
    private static final Logger LOG = LoggerFactory.getLogger(TaskBreakers.class);

    /**
     * How long a breaker's state read from the global store is reused. Every dispatch and every completed stage asks
     * for its breaker; a store read serializes the key and parses the JSON state each time, which a stage hop need
     * not pay for a state that changes a few times a day. The global thread's own lag is of the same order.
     */
    static final long REREAD_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ReadOnlyKeyValueStore<String, BreakerState> shared;
    private final LongSupplier nanoClock;
    private final Map<String, Read> reads = new HashMap<>();
    private final Map<String, BreakerState> written = new HashMap<>();
    private final Map<String, Set<String>> held = new LinkedHashMap<>();
    private final Map<String, String> heldBy = new HashMap<>();

    TaskBreakers(ReadOnlyKeyValueStore<String, BreakerState> shared) {
        this(shared, System::nanoTime);
    }

    TaskBreakers(ReadOnlyKeyValueStore<String, BreakerState> shared, LongSupplier nanoClock) {
        this.shared = shared;
        this.nanoClock = nanoClock;
    }

    @Override
    public BreakerState stateOf(String breaker) {
        BreakerState global = read(breaker);
        BreakerState mine = written.get(breaker);
        if (mine == null) {
            return global;
        }
        if (global != null && global.since().isAfter(mine.since())) {
            written.remove(breaker);
            return global;
        }
        return mine;
    }

    /** Remembers a state this task is writing, so its next transitions see it before the global store does. */
    void wrote(BreakerState state) {
        written.put(state.breaker(), state);
    }

    /** Keeps the held-jobs index in step with the job's new state (null: the job is gone). */
    void track(String jobId, JobState state) {
        String breaker = state == null ? null : state.heldBy();
        String before = breaker == null ? heldBy.remove(jobId) : heldBy.put(jobId, breaker);
        if (before != null && !before.equals(breaker)) {
            Set<String> jobs = held.get(before);
            if (jobs != null && jobs.remove(jobId) && jobs.isEmpty()) {
                held.remove(before);
            }
        }
        if (breaker != null) {
            held.computeIfAbsent(breaker, b -> new LinkedHashSet<>()).add(jobId);
        }
    }

    boolean holdsAny() {
        return !held.isEmpty();
    }


    /** The breakers holding jobs of this task. */
    List<String> breakersHolding() {
        return List.copyOf(held.keySet());
    }

    /** Up to {@code max} of the jobs {@code breaker} holds, oldest first. */
    List<String> heldJobs(String breaker, int max) {
        Set<String> jobs = held.getOrDefault(breaker, Set.of());
        return jobs.stream().limit(max).toList();
    }


    private BreakerState read(String breaker) {
        long now = nanoClock.getAsLong();
        Read last = reads.get(breaker);
        if (last != null && now - last.atNanos() < REREAD_AFTER_NANOS) {
            return last.state();
        }
        BreakerState state = readStore(breaker);
        reads.put(breaker, new Read(state, now));
        return state;
    }

    private record Read(BreakerState state, long atNanos) {
    }

    private BreakerState readStore(String breaker) {
        try {
            return shared.get(breaker);
        } catch (RuntimeException e) {
            // A record someone wrote by hand that is not a BreakerState: the breaker counts as closed, and says so.
            LOG.warn("breaker {}: unreadable state in the breakers store, taken as CLOSED: {}", breaker, e.toString());
            return null;
        }
    }
}
