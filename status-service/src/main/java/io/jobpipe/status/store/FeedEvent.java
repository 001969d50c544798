package io.jobpipe.status.store;

/**
 * An event as a stream sends it: its position in that stream (a job's seq, or the feed's position for the
 * firehose), its type, and its JSON as the orchestrator wrote it.
 */
public record FeedEvent(long position, String type, String body) {
}
