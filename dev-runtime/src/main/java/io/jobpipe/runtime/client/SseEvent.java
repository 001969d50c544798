package io.jobpipe.runtime.client;

/**
 * One Server-Sent Event as the stream delivered it.
 *
 * @param id    the last event id seen on the stream so far (what a reconnect sends as {@code Last-Event-ID}), or null
 * @param event the event type ({@code message} when the server named none)
 * @param data  the data lines joined by {@code \n}
 */
public record SseEvent(String id, String event, String data) {
}
