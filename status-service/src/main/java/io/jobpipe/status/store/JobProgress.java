package io.jobpipe.status.store;

/** Where a job stands in the read model: its state and the seq of its latest projected event. */
public record JobProgress(String state, long lastSeq) {
}
