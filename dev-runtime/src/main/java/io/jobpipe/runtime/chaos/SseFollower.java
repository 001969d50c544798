package io.jobpipe.runtime.chaos;

import io.jobpipe.core.event.JobEvent;
import io.jobpipe.runtime.client.HttpClients;
import io.jobpipe.runtime.client.SseEvent;
import io.jobpipe.runtime.client.SseParser;

import java.io.BufferedReader;
import java.io.IOException;
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

/**
 * Follows one job's SSE stream ({@code GET /jobs/{id}/events}) the way a browser does through a crash: when the
 * stream breaks or the service is down, it connects again after a short pause with {@code Last-Event-ID} set to
 * the last id it saw, until the job's terminal event arrives or the deadline passes. Everything it received is
 * kept, in order, for {@link Result#check()}. Runs on its own thread; {@link #stop()} ends it.
 */
public final class SseFollower implements Runnable {
    private static final Duration RETRY = Duration.ofMillis(500);

    /**
     * @param seqs       the id of every event received, in order, across all connections
     * @param connections how many times it connected (1 = no reconnect)
     * @param terminal   the terminal event type received, or null
     * @param lastError  the last connection failure, or null
     */
    public record Result(String jobId, List<Long> seqs, int connections, String terminal, String lastError) {
        /** Empty when every seq from 1 to the terminal one was received exactly once, else what is wrong. */
        public String check() {
            if (terminal == null) {
                return "job " + jobId + ": no terminal event over SSE (" + seqs.size() + " events, " + connections
                        + " connections" + (lastError == null ? "" : ", last error " + lastError) + ")";
            }
            for (int i = 0; i < seqs.size(); i++) {
                if (seqs.get(i) != i + 1) {
                    return "job " + jobId + ": SSE ids are not each seq exactly once from 1: " + seqs;
                }
            }
            return "";
        }
    }

    private final HttpClient client;
    private final URI events;
    private final String jobId;
    private final long deadlineNanos;
    private final List<Long> seqs = new ArrayList<>();
    private volatile boolean stopped;
    private volatile InputStream open;
    private int connections;
    private String terminal;
    private String lastError;

    public SseFollower(HttpClient client, String statusUrl, String jobId, Duration timeout) {
        this.client = client;
        this.events = HttpClients.resolve(statusUrl, "/jobs/" + jobId + "/events");
        this.jobId = jobId;
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
    }

    @Override
    public void run() {
        while (!stopped && terminal == null && System.nanoTime() < deadlineNanos) {
            try {
                connectOnce();
            } catch (IOException e) {
                lastError = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (terminal == null && !stopped) {
                try {
                    Thread.sleep(RETRY.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void connectOnce() throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(events).timeout(Duration.ofSeconds(10))
                .header("Accept", "text/event-stream").GET();
        synchronized (this) {
            connections++;
            if (!seqs.isEmpty()) {
                request.header("Last-Event-ID", Long.toString(seqs.get(seqs.size() - 1)));
            }
        }
        HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                lastError = "HTTP " + response.statusCode();
                return;
            }
            open = body;
            SseParser parser = new SseParser(this::received);
            BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            String line;
            while (!stopped && terminal == null && (line = reader.readLine()) != null) {
                parser.line(line);
            }
            parser.end();
        } finally {
            open = null;
        }
    }

    private synchronized void received(SseEvent event) {
        try {
            seqs.add(Long.parseLong(event.id()));
        } catch (NumberFormatException | NullPointerException e) {
            seqs.add(-1L);
        }
        if (JobEvent.isTerminalType(event.event())) {
            terminal = event.event();
        }
    }

    /** Ends the current connection and any further attempt. */
    public void stop() {
        stopped = true;
        InputStream body = open;
        if (body != null) {
            try {
                body.close();
            } catch (IOException e) {
                // closing to unblock the reader; nothing else to do
            }
        }
    }

    public synchronized Result result() {
        return new Result(jobId, List.copyOf(seqs), connections, terminal, lastError);
    }
}
