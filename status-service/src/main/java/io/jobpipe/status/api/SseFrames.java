package io.jobpipe.status.api;

import java.nio.charset.StandardCharsets;

/**
 * Server-Sent Events framing (WHATWG HTML, "event stream interpretation"). Written by hand because
 * Micronaut's SSE codec adds a {@code data:} line to every event, and a keep-alive must be a comment
 * alone: a data line would dispatch an empty message to the client.
 */
public final class SseFrames {
    private SseFrames() {
    }

    /** One message: {@code id}, {@code event}, and one {@code data:} line per line of {@code data}. */
    public static byte[] event(String id, String name, String data) {
        StringBuilder frame = new StringBuilder(data.length() + 64);
        frame.append("id: ").append(singleLine(id)).append('\n');
        frame.append("event: ").append(singleLine(name)).append('\n');
        // By hand, not String.split with a pattern: this runs once per event per stream, and JSON rarely has a break.
        int start = 0;
        for (int i = 0; i < data.length(); i++) {
            char c = data.charAt(i);
            if (c == '\r' || c == '\n') {
                frame.append("data: ").append(data, start, i).append('\n');
                if (c == '\r' && i + 1 < data.length() && data.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        frame.append("data: ").append(data, start, data.length()).append('\n');
        return frame.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A comment line, which clients ignore and proxies see as traffic. */
    public static byte[] comment(String text) {
        return (": " + singleLine(text) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    private static String singleLine(String value) {
        return value.replace('\r', ' ').replace('\n', ' ');
    }
}
