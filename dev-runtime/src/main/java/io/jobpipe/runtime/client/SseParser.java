package io.jobpipe.runtime.client;

import java.util.function.Consumer;

/**
 * Turns the lines of a {@code text/event-stream} into {@link SseEvent}s, following the WHATWG rules: fields
 * {@code id}, {@code event}, {@code data}, {@code retry}; one optional space after the colon; comments start with
 * {@code :}; a blank line dispatches; an event without data is not dispatched; the id persists across events.
 */
public final class SseParser {
    private final Consumer<SseEvent> sink;
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private String eventType;
    private String lastEventId;
    private Long retryMillis;

    public SseParser(Consumer<SseEvent> sink) {
        this.sink = sink;
    }

    /** Feeds one line, without its line terminator. */
    public void line(String line) {
        if (line.isEmpty()) {
            dispatch();
            return;
        }
        if (line.charAt(0) == ':') {
            return;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "data" -> {
                if (hasData) {
                    data.append('\n');
                }
                data.append(value);
                hasData = true;
            }
            case "event" -> eventType = value;
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastEventId = value.isEmpty() ? null : value;
                }
            }
            case "retry" -> {
                if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
                    retryMillis = Long.parseLong(value);
                }
            }
            default -> {
                // Unknown fields are ignored, as the spec says.
            }
        }
    }

    /** Ends the stream: an event not yet terminated by a blank line is discarded, as browsers do. */
    public void end() {
        data.setLength(0);
        hasData = false;
        eventType = null;
    }

    public String lastEventId() {
        return lastEventId;
    }

    /** The reconnection delay the server asked for, or null. */
    public Long retryMillis() {
        return retryMillis;
    }

    private void dispatch() {
        if (hasData) {
            sink.accept(new SseEvent(lastEventId, eventType == null || eventType.isEmpty() ? "message" : eventType,
                    data.toString()));
        }
        data.setLength(0);
        hasData = false;
        eventType = null;
    }
}
