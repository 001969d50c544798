package io.jobpipe.worker.outbound;

import java.io.IOException;

/** A response longer than the outbound client reads; the same call would get the same answer, so it is not retried. */
public final class OutboundTooLarge extends IOException {
    public OutboundTooLarge(String message) {
        super(message);
    }
}
