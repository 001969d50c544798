package io.jobpipe.worker.outbound;

import java.io.IOException;

/** A call that did not complete within its timeout; it was aborted, and another attempt may fare better. */
public final class OutboundTimeout extends IOException {
    public OutboundTimeout(String message) {
        super(message);
    }
}
