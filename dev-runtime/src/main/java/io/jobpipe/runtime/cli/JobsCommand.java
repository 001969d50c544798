package io.jobpipe.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.runtime.client.HttpClients;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import java.util.function.Function;

import static io.jobpipe.runtime.cli.JsonFields.orDash;
import static io.jobpipe.runtime.cli.JsonFields.text;

/** {@code ./jobpipe jobs [JOB]}: recent jobs as a table, or one job's stages. */
@Command(name = "jobs", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"List recent jobs, newest first, as a table, filtered by the options; with JOB, show that job"
                + " and its stages.", "Listing needs a read token (--token, $JOBPIPE_OPS_TOKEN, or the dev token for"
                + " a loopback status URL); one job does not.", "Exits 1 when the status service cannot answer."})
final class JobsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "JOB", arity = "0..1", description = "a job id: show its stages")
    String jobId;

    @Option(names = "--limit", defaultValue = "20", description = "jobs to list (default: ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--before", paramLabel = "CURSOR", description = "list jobs older than this cursor (printed under the table)")
    String before;

    @Option(names = "--state", paramLabel = "STATE[,STATE]", description = "the job's state, e.g. RUNNING or FAILED,DEAD_LETTERED")
    String state;

    @Option(names = {"-q", "--search"}, paramLabel = "WORDS", description = "words of the job's subject (prefixes match)")
    String search;

    @Mixin
    JobFilterOptions filter;

    @Option(names = "--status-url", defaultValue = "${env:JOBPIPE_STATUS_URL:-http://localhost:8081}",
            description = "status base URL (default: ${DEFAULT-VALUE})")
    String statusUrl;

    @Option(names = "--token", description = "read token for listing (default: $" + OpsToken.ENV + ", else "
            + OpsToken.DEV_OPERATE + " when the status URL is a loopback address)")
    String token;

    private final ZoneId zone = ZoneId.systemDefault();

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (limit < 1) {
            err.println("--limit must be at least 1");
            return 2;
        }
        String path = jobId != null ? "/jobs/" + HttpClients.segment(jobId) : "/jobs?" + listQuery();
        URI uri = HttpClients.resolve(statusUrl, path);
        Function<String, String> environment = spec.root().userObject() instanceof JobpipeCli cli
                ? cli.environment() : System::getenv;
        OpsToken resolved = OpsToken.resolve(token, environment, statusUrl).orElse(null);
        HttpResponse<String> response;
        try {
            HttpClient client = HttpClients.newClient();
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .header("Accept", "application/json").GET();
            if (resolved != null) {
                request.header("Authorization", "Bearer " + resolved.value());
            }
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            err.println("status service is not reachable at " + statusUrl + " (is ./jobpipe up running?)");
            return 1;
        } catch (IOException e) {
            err.println("request to " + uri + " failed: " + e);
            return 1;
        }
        if (response.statusCode() == 404 && jobId != null) {
            err.println("no job " + jobId + " on " + statusUrl);
            return 1;
        }
        if (response.statusCode() == 401) {
            err.println("status service refused: " + Problem.of(response).describe() + " ("
                    + (resolved == null ? "no token given; " + OpsApi.howToPass() : "sent " + resolved.describe()) + ")");
            return 1;
        }
        if (response.statusCode() != 200) {
            err.println("status service refused: " + Problem.of(response).describe());
            return 1;
        }
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            err.println("status service answered something that is not JSON: " + e.getMessage());
            return 1;
        }
        out.print(jobId == null ? jobList(body) : jobDetail(body));
        out.flush();
        return 0;
    }

    /** {@code limit=20&state=…&q=…&before=…}, the filters' values URL-encoded. */
    String listQuery() {
        StringBuilder query = new StringBuilder("limit=").append(limit);
        if (state != null && !state.isBlank()) {
            query.append("&state=").append(HttpClients.segment(state.trim()));
        }
        if (search != null && !search.isBlank()) {
            query.append("&q=").append(HttpClients.segment(search.trim()));
        }
        String fields = filter == null ? "" : filter.toQuery();
        if (!fields.isEmpty()) {
            query.append('&').append(fields);
        }
        if (before != null) {
            query.append("&before=").append(HttpClients.segment(before));
        }
        return query.toString();
    }

    String jobList(JsonNode page) {
        TextTable table = new TextTable("JOB", "STATE", "STAGE", "CONNECTION", "EVENT", "PIPELINE", "CREATED", "UPDATED",
                "SUBJECT");
        for (JsonNode job : page.path("items")) {
            table.row(text(job, "jobId"), text(job, "state"), text(job, "currentStage"), text(job, "connection"),
                    text(job, "eventType"), text(job, "pipeline"), Times.local(text(job, "createdAt"), zone),
                    Times.local(text(job, "updatedAt"), zone), shorten(text(job, "subject")));
        }
        if (table.size() == 0) {
            boolean filtered = (state != null && !state.isBlank()) || (search != null && !search.isBlank())
                    || (filter != null && !filter.isEmpty());
            return before != null ? "no older jobs\n" : filtered ? "no job matches these filters\n"
                    : "no jobs yet (try ./jobpipe send)\n";
        }
        StringBuilder out = new StringBuilder(table.render());
        String next = text(page, "next");
        out.append(table.size()).append(table.size() == 1 ? " job" : " jobs");
        if (next != null) {
            out.append("; older: add --before ").append(next);
        }
        return out.append('\n').toString();
    }

    String jobDetail(JsonNode job) {
        StringBuilder out = new StringBuilder();
        out.append("job       ").append(text(job, "jobId")).append('\n');
        out.append("state     ").append(text(job, "state"));
        if (text(job, "currentStage") != null && !"COMPLETED".equals(text(job, "state"))) {
            out.append("   at ").append(text(job, "currentStage"))
                    .append(text(job, "currentAttempt") == null ? "" : "#" + text(job, "currentAttempt"));
        }
        out.append('\n');
        JsonNode held = job.path("held");
        if (held.isObject()) {
            out.append("held      by breaker ").append(orDash(text(held, "breaker"))).append(" since ")
                    .append(orDash(Times.local(text(held, "since"), zone))).append(": ")
                    .append(orDash(text(held, "reason"))).append('\n');
        }
        if (text(job, "connection") != null) {
            out.append("webhook   connection ").append(text(job, "connection"))
                    .append("   event ").append(orDash(text(job, "eventType")))
                    .append("   delivery ").append(orDash(text(job, "deliveryId"))).append('\n');
        }
        out.append("pipeline  ").append(orDash(text(job, "pipeline")));
        if (text(job, "traceId") != null) {
            out.append("   trace ").append(text(job, "traceId"));
        }
        out.append('\n');
        out.append("created   ").append(orDash(Times.local(text(job, "createdAt"), zone)))
                .append("   updated ").append(orDash(Times.local(text(job, "updatedAt"), zone)))
                .append("   finished ").append(orDash(Times.local(text(job, "finishedAt"), zone))).append('\n');
        String error = errorText(job.path("error"));
        if (error != null) {
            out.append("error     ").append(error).append('\n');
        }
        TextTable stages = new TextTable("#", "STAGE", "STATUS", "ATTEMPTS", "STARTED", "DURATION", "SUMMARY / ERROR");
        for (JsonNode stage : job.path("stages")) {
            String error1 = errorText(stage.path("error"));
            stages.row(text(stage, "position"), text(stage, "name"), text(stage, "status"), text(stage, "attempts"),
                    Times.local(text(stage, "startedAt"), zone),
                    stage.path("durationMs").isNumber() ? Times.duration(stage.path("durationMs").asLong()) : null,
                    error1 != null ? error1 : text(stage, "summary"));
        }
        out.append('\n');
        out.append(stages.size() == 0 ? "no stages yet\n" : stages.render());
        return out.toString();
    }

    /** A subject fits a terminal line: at most 60 characters, on one line. */
    static String shorten(String subject) {
        if (subject == null) {
            return null;
        }
        String line = subject.replaceAll("\\s+", " ").strip();
        return line.length() <= 60 ? line : line.substring(0, 59) + "…";
    }

    /** Errors may be a plain message or an object ({@code errorType}/{@code message}, or {@code title}/{@code detail}). */
    static String errorText(JsonNode error) {
        if (error.isMissingNode() || error.isNull()) {
            return null;
        }
        if (error.isTextual()) {
            return error.asText().isBlank() ? null : error.asText();
        }
        String type = text(error, "errorType") != null ? text(error, "errorType") : text(error, "title");
        String message = text(error, "message") != null ? text(error, "message") : text(error, "detail");
        if (type == null && message == null) {
            return error.toString();
        }
        return type == null ? message : message == null ? type : type + ": " + message;
    }
}
