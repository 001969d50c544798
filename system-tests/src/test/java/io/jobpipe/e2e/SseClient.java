package io.jobpipe.e2e;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Reads a Server-Sent Events stream until a terminal job event or a timeout. */
final class SseClient {
    record SseEvent(String id, String event, String data) {
    }

    private static final Set<String> TERMINAL = Set.of("JobCompleted", "JobFailed", "JobDeadLettered");

    private SseClient() {
    }

    static List<SseEvent> readUntilTerminal(HttpClient http, String url, String lastEventId, Duration timeout) throws Exception {
        return read(http, url, lastEventId, timeout, true);
    }

    /** Every event until the server ends the stream, which it does after the job's last terminal event. */
    static List<SseEvent> readUntilClosed(HttpClient http, String url, String lastEventId, Duration timeout) throws Exception {
        return read(http, url, lastEventId, timeout, false);
    }

    private static List<SseEvent> read(HttpClient http, String url, String lastEventId, Duration timeout,
                                       boolean stopAtTerminal) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new AssertionError("SSE " + url + " answered " + response.statusCode() + ": "
                    + new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
        }
        List<SseEvent> events = new ArrayList<>();
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String id = null;
                String event = null;
                StringBuilder data = new StringBuilder();
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.isEmpty()) {
                        if (data.length() > 0 || event != null) {
                            SseEvent e = new SseEvent(id, event, data.toString());
                            synchronized (events) {
                                events.add(e);
                            }
                            if (stopAtTerminal && TERMINAL.contains(event)) {
                                return;
                            }
                        }
                        id = null;
                        event = null;
                        data.setLength(0);
                    } else if (line.startsWith("id:")) {
                        id = line.substring(3).trim();
                    } else if (line.startsWith("event:")) {
                        event = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        if (data.length() > 0) {
                            data.append('\n');
                        }
                        data.append(line.substring(5).stripLeading());
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            reading.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            response.body().close();
            synchronized (events) {
                throw new AssertionError("no terminal event within " + timeout + "; got " + events);
            }
        }
        return events;
    }
}
