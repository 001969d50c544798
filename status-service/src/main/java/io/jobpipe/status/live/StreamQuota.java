package io.jobpipe.status.live;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many SSE streams may be open at once, in all and per client: each open stream holds a thread-free
 * subscription, a keep-alive timer and socket buffers, so past a cap the next client is told to come back later
 * instead of the instance slowly running out of memory. A {@link Lease} is taken before a stream starts and given
 * back once, when it ends however it ends. A cap of 0 means none.
 */
public final class StreamQuota {
    /** Why a stream was refused. */
    public enum Refusal {
        /** This instance holds its maximum of streams: another instance (or later) may take it. */
        INSTANCE_FULL,
        /** This client holds its maximum of streams; its others are open. */
        CLIENT_FULL
    }

    /** One open stream's place; {@link #close()} gives it back, once. */
    public interface Lease extends AutoCloseable {
        @Override
        void close();
    }

    private final int maxStreams;
    private final int maxPerClient;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> byClient = new ConcurrentHashMap<>();

    public StreamQuota(int maxStreams, int maxPerClient) {
        this.maxStreams = Math.max(0, maxStreams);
        this.maxPerClient = Math.max(0, maxPerClient);
    }

    /** A lease for one more stream of {@code client}, or the refusal; the caller answers a refusal at once. */
    public Result tryOpen(String client) {
        if (open.incrementAndGet() > maxStreams && maxStreams > 0) {
            open.decrementAndGet();
            return new Result(null, Refusal.INSTANCE_FULL);
        }
        if (maxPerClient > 0) {
            // Checked and counted under the map's lock for this client: two opens cannot both take its last place.
            boolean[] refused = {false};
            byClient.compute(client, (key, count) -> {
                AtomicInteger held = count == null ? new AtomicInteger() : count;
                if (held.get() >= maxPerClient) {
                    refused[0] = true;
                } else {
                    held.incrementAndGet();
                }
                return held;
            });
            if (refused[0]) {
                open.decrementAndGet();
                return new Result(null, Refusal.CLIENT_FULL);
            }
        }
        AtomicBoolean closed = new AtomicBoolean();
        return new Result(() -> {
            if (closed.compareAndSet(false, true)) {
                open.decrementAndGet();
                if (maxPerClient > 0) {
                    byClient.computeIfPresent(client, (key, held) -> held.decrementAndGet() == 0 ? null : held);
                }
            }
        }, null);
    }

    public int maxStreams() {
        return maxStreams;
    }

    public int maxPerClient() {
        return maxPerClient;
    }

    /** Streams open now. */
    public int open() {
        return open.get();
    }

    /** Streams {@code client} holds now. */
    public int openBy(String client) {
        AtomicInteger held = byClient.get(client);
        return held == null ? 0 : held.get();
    }

    /** A lease, or why there is none. */
    public record Result(Lease lease, Refusal refusal) {
        public Optional<Lease> granted() {
            return Optional.ofNullable(lease);
        }
    }
}
