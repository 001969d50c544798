package io.jobpipe.worker.outbound;

/** An outbound call the {@link OutboundPolicy} does not allow; the message names the target without path or query. */
public final class OutboundRefused extends Exception {
    public OutboundRefused(String message) {
        super(message);
    }
}
