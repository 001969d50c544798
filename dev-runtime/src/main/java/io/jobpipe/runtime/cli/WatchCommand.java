package io.jobpipe.runtime.cli;

import io.jobpipe.core.event.JobStatus;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.runtime.client.HttpClients;
import io.jobpipe.runtime.client.SseEvent;
import io.jobpipe.runtime.client.SseParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code ./jobpipe watch JOB}: follows a job's event stream until the job ends. A dropped stream is resumed
 * with {@code Last-Event-ID}, and an event seen twice is shown once.
 */
@Command(name = "watch", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Follow a job's events (Server-Sent Events from the status service) until the job ends.",
                "One line per event: time, seq, type, stage#attempt, duration, summary or error.",
                "Exits 0 when the job ends COMPLETED, 1 when it ends FAILED, DEAD_LETTERED or CANCELLED, "
                        + "or cannot be followed. A dropped connection is resumed from the last event seen."})
final class WatchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "JOB", description = "job id (as printed by send)")
    String jobId;

    @Option(names = "--status-url", defaultValue = "${env:JOBPIPE_STATUS_URL:-http://localhost:8081}",
            description = "status base URL (default: ${DEFAULT-VALUE})")
    String statusUrl;

    @Option(names = "--reconnects", defaultValue = "10",
            description = "reconnect attempts in a row without a new event before giving up (default: ${DEFAULT-VALUE})")
    int maxReconnects;

    @Option(names = "--reconnect-delay", defaultValue = "1s", converter = DurationConverter.class, hidden = true)
    Duration reconnectDelay;

    private final ZoneId zone = ZoneId.systemDefault();
    private PrintWriter out;
    private String lastEventId;
    private long lastSeq;
    private Instant acceptedAt;
    private JobEvent terminal;

    @Override
    public Integer call() throws InterruptedException {
        out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HttpClient client = HttpClients.newClient();
        int failures = 0;
        while (true) {
            long seqBefore = lastSeq;
            String dropped;
            try {
                follow(client);
                if (terminal != null) {
                    return finish();
                }
                dropped = "the stream ended before the job did";
            } catch (JobNotFound e) {
                err.println("no job " + jobId + " on " + statusUrl);
                return 1;
            } catch (ProblemAnswer e) {
                err.println("status service refused the stream: " + e.problem.describe());
                return 1;
            } catch (ConnectException e) {
                dropped = "status service not reachable at " + statusUrl;
            } catch (IOException e) {
                dropped = "connection lost (" + e.getMessage() + ")";
            }
            String state = stateFromStatusApi(client);
            if (state != null && JobStatus.isTerminalName(state)) {
                out.println("job " + jobId + " is " + state + " (from the status API)");
                out.flush();
                return "COMPLETED".equals(state) ? 0 : 1;
            }
            failures = lastSeq > seqBefore ? 1 : failures + 1;
            if (failures > maxReconnects) {
                err.println(dropped + "; gave up after " + maxReconnects + " reconnects");
                return 1;
            }
            out.println("… " + dropped + "; reconnecting"
                    + (lastEventId == null ? "" : " after event #" + lastEventId));
            out.flush();
            Thread.sleep(reconnectDelay.toMillis());
        }
    }

    private void follow(HttpClient client) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(eventsUri()).header("Accept", "text/event-stream").GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> response = client.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            String body;
            try (Stream<String> lines = response.body()) {
                body = lines.collect(Collectors.joining("\n"));
            }
            if (response.statusCode() == 404) {
                throw new JobNotFound();
            }
            throw new ProblemAnswer(Problem.of(response.statusCode(), response.headers(), body));
        }
        SseParser parser = new SseParser(this::show);
        try (Stream<String> lines = response.body()) {
            Iterator<String> it = lines.iterator();
            // The service ends the stream once the job rests in a terminal state; an event after a terminal one
            // (a replay of a dead letter) means the job goes on, so read to the end rather than stop at the first.
            while (it.hasNext()) {
                parser.line(it.next());
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        parser.end();
    }

    private void show(SseEvent event) {
        JobEvent jobEvent = parse(event.data());
        if (jobEvent == null) {
            out.println(JobEventLine.raw(event));
        } else if (jobEvent.seq() <= lastSeq) {
            return;
        } else {
            lastSeq = jobEvent.seq();
            if (jobEvent instanceof JobEvent.JobAccepted) {
                acceptedAt = jobEvent.occurredAt();
            }
            out.println(JobEventLine.format(jobEvent, zone));
            terminal = jobEvent.terminal() ? jobEvent : null;
        }
        if (event.id() != null) {
            lastEventId = event.id();
        }
        out.flush();
    }

    private int finish() {
        String took = acceptedAt == null ? ""
                : " in " + Times.duration(Duration.between(acceptedAt, terminal.occurredAt()).toMillis());
        if (terminal instanceof JobEvent.JobCompleted) {
            out.println("COMPLETED" + took);
            out.flush();
            return 0;
        }
        String state = terminal instanceof JobEvent.JobDeadLettered ? "DEAD_LETTERED"
                : terminal instanceof JobEvent.JobCancelled ? "CANCELLED" : "FAILED";
        out.println(state + took);
        out.flush();
        return 1;
    }

    private String stateFromStatusApi(HttpClient client) throws InterruptedException {
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    HttpClients.resolve(statusUrl, "/jobs/" + HttpClients.segment(jobId)))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return null;
            }
            JsonNode job = Json.MAPPER.readTree(response.body());
            return job.path("state").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    private URI eventsUri() {
        return HttpClients.resolve(statusUrl, "/jobs/" + HttpClients.segment(jobId) + "/events");
    }

    private static JobEvent parse(String data) {
        try {
            return Json.MAPPER.readValue(data, JobEvent.class);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static final class JobNotFound extends IOException {
    }

    private static final class ProblemAnswer extends IOException {
        final Problem problem;

        ProblemAnswer(Problem problem) {
            super(problem.describe());
            this.problem = problem;
        }
    }
}
