package io.jobpipe.ingest.limits;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How much webhook work ingest holds at once, counted in requests and in body bytes. A request takes a permit
 * before its body is read and gives it back with its answer; when either count would pass its limit it is turned
 * away at once, so overload costs the sender a retry instead of costing ingest its memory.
 */
public final class InFlightBudget {
    private final int maxRequests;
    private final long maxBytes;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();

    public InFlightBudget(int maxRequests, long maxBytes) {
        if (maxRequests < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("an in-flight budget needs at least one request and one byte, got "
                    + maxRequests + " requests and " + maxBytes + " bytes");
        }
        this.maxRequests = maxRequests;
        this.maxBytes = maxBytes;
    }

    /** A permit for a request of up to {@code requestBytes}, or null when the budget cannot hold it now. */
    public Permit tryAcquire(long requestBytes) {
        if (requestBytes < 0) {
            throw new IllegalArgumentException("negative size " + requestBytes);
        }
        if (requests.incrementAndGet() > maxRequests) {
            requests.decrementAndGet();
            return null;
        }
        long held = bytes.addAndGet(requestBytes);
        // A request larger than the whole budget still gets in when it would be alone, so it is never refused forever.
        if (held > maxBytes && held != requestBytes) {
            bytes.addAndGet(-requestBytes);
            requests.decrementAndGet();
            return null;
        }
        return new Permit(requestBytes);
    }

    public int requestsInFlight() {
        return requests.get();
    }

    public long bytesInFlight() {
        return bytes.get();
    }

    public int maxRequests() {
        return maxRequests;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** One request's share of the budget; releasing it twice gives it back once. */
    public final class Permit {
        private final long requestBytes;
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit(long requestBytes) {
            this.requestBytes = requestBytes;
        }

        public void release() {
            if (released.compareAndSet(false, true)) {
                bytes.addAndGet(-requestBytes);
                requests.decrementAndGet();
            }
        }
    }
}
