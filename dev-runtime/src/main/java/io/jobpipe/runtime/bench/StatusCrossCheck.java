package io.jobpipe.runtime.bench;

import io.jobpipe.core.event.JobStatus;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.runtime.client.HttpClients;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Asks the status service ({@code GET /jobs/{id}}) for the state of every accepted job, so the verdict does not
 * rest on the bench's own reading of Kafka alone. The projection may trail the topic a little, so a job the
 * topic already shows finished is asked again until its state is terminal or {@code timeout} runs out.
 */
public final class StatusCrossCheck {
    /** States by count; {@code NOT_FOUND} and {@code ERROR} for jobs the service could not show. */
    public record Result(long checked, Map<String, Long> byState, long disagreeing, List<String> examples) {
        public long count(String state) {
            return byState.getOrDefault(state, 0L);
        }
    }

    static final String NOT_FOUND = "NOT_FOUND";
    static final String ERROR = "ERROR";
    private static final int EXAMPLES = 5;

    private final HttpClient client;
    private final String statusUrl;
    private final int concurrency;

    public StatusCrossCheck(HttpClient client, String statusUrl, int concurrency) {
        this.client = client;
        this.statusUrl = statusUrl;
        this.concurrency = concurrency;
    }

    /**
     * @param kafkaState what the job-events topic said of each job: a state name, or null while in flight;
     *                   a job the topic shows finished is polled again until the status service agrees it ended
     */
    public Result run(Collection<String> jobIds, Function<String, String> kafkaState, Duration timeout)
            throws InterruptedException {
        Map<String, String> states = new ConcurrentHashMap<>();
        Set<String> pending = new LinkedHashSet<>(jobIds);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            queryAll(pending, states);
            pending.removeIf(id -> JobStatus.isTerminalName(states.get(id)) || kafkaState.apply(id) == null);
            if (pending.isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        Map<String, Long> byState = new TreeMap<>();
        long disagreeing = 0;
        List<String> examples = new ArrayList<>();
        for (String id : jobIds) {
            String state = states.getOrDefault(id, ERROR);
            byState.merge(state, 1L, Long::sum);
            String expected = kafkaState.apply(id);
            boolean agrees = expected == null ? !JobStatus.isTerminalName(state) || state.equals("CANCELLED") : expected.equals(state);
            if (!agrees) {
                disagreeing++;
            }
            if (!"COMPLETED".equals(state) && examples.size() < EXAMPLES) {
                examples.add(id + " " + state + (expected == null ? " (in flight on the topic)" : " (topic: " + expected + ")"));
            }
        }
        return new Result(jobIds.size(), byState, disagreeing, List.copyOf(examples));
    }

    private void queryAll(Collection<String> ids, Map<String, String> states) throws InterruptedException {
        Semaphore permits = new Semaphore(concurrency);
        List<CompletableFuture<?>> calls = new ArrayList<>();
        for (String id : ids) {
            permits.acquire();
            HttpRequest request = HttpRequest.newBuilder(HttpClients.resolve(statusUrl, "/jobs/" + HttpClients.segment(id)))
                    .timeout(Duration.ofSeconds(10)).header("Accept", "application/json").GET().build();
            calls.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, error) -> {
                        try {
                            states.put(id, stateOf(response, error));
                        } finally {
                            permits.release();
                        }
                    }));
        }
        try {
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Each call recorded its own outcome; a stuck one stays ERROR.
        }
    }

    private static String stateOf(HttpResponse<String> response, Throwable error) {
        if (error != null) {
            return ERROR;
        }
        if (response.statusCode() == 404) {
            return NOT_FOUND;
        }
        if (response.statusCode() != 200) {
            return ERROR;
        }
        try {
            JsonNode state = Json.MAPPER.readTree(response.body()).path("state");
            return state.isTextual() ? state.asText() : ERROR;
        } catch (Exception e) {
            return ERROR;
        }
    }
}
