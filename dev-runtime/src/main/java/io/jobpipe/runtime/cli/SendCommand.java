package io.jobpipe.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.runtime.client.DevConnections;
import io.jobpipe.runtime.client.HttpClients;
import io.jobpipe.runtime.client.WebhookRequest;
import io.jobpipe.runtime.client.WebhookSample;
import io.jobpipe.runtime.client.WebhookSigning;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/** {@code ./jobpipe send}: post one webhook to ingest and say which job it became. */
@Command(name = "send", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Post a webhook (a built-in sample or a JSON file) to ingest and print the job id, status and events URLs.",
                "Exits 1 when ingest answers with a problem (its title and detail are printed) or cannot be reached.",
                "Signing: the request is signed for the connection's scheme (github, slack, stripe, standard-webhooks, "
                        + "hmac; none for demo). By default the scheme and secret are the connection's in the dev "
                        + "configuration that ./jobpipe up runs (" + DevConnections.RELATIVE_PATH + "); --secret and "
                        + "--scheme override them, e.g. for a connection of your own."},
        footer = {"", "Examples:",
                "  ./jobpipe send --connection github                    # the github sample, signed with dev-github-secret",
                "  ./jobpipe send --connection slack --delivery-id Ev42  # Slack's sample as event Ev42",
                "  ./jobpipe send --connection github --secret \"$GITHUB_WEBHOOK_SECRET\" --ingest-url https://hooks.example.com",
                "  ./jobpipe send --connection shop --scheme hmac --secret s3cret --file order.json --event-type order.created",
                "  ./jobpipe send --file order.json --event-type order.created --delivery-id ord-42"})
final class SendCommand implements Callable<Integer> {

    private static final List<String> KNOWN_SCHEMES =
            List.of("github", "slack", "stripe", "standard-webhooks", "hmac", "none");

    @Spec
    CommandSpec spec;

    private WebhookSigning signing = WebhookSigning.UNSIGNED;

    @Mixin
    WebhookBodyOptions webhookBody;

    @Option(names = "--delivery-id", description = "sent as X-Delivery-Id; the same id again returns the same job "
            + "(default: a fresh random one)")
    String deliveryId;

    @Option(names = "--secret", description = "sign with this secret instead of the dev configuration's "
            + "(the scheme is the dev connection's, else --scheme, else the connection's name)")
    String secret;

    @Option(names = "--scheme", description = "signature scheme when the connection is not a dev connection: github, "
            + "slack, stripe, standard-webhooks, hmac (X-Signature, hex) or none")
    String scheme;

    @Option(names = {"-H", "--header"}, paramLabel = "NAME=VALUE", description = "extra request header (repeatable)")
    Map<String, String> extraHeaders = new LinkedHashMap<>();

    @Option(names = "--ingest-url", defaultValue = "${env:JOBPIPE_INGEST_URL:-http://localhost:8080}",
            description = "ingest base URL (default: ${DEFAULT-VALUE})")
    String ingestUrl;

    @Option(names = "--status-url", defaultValue = "${env:JOBPIPE_STATUS_URL:-http://localhost:8081}",
            description = "status base URL, for relative links in ingest's answer (default: ${DEFAULT-VALUE})")
    String statusUrl;

    @Option(names = "--timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "request timeout (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        WebhookRequest webhook;
        try {
            webhook = webhook();
        } catch (IllegalArgumentException | IOException e) {
            err.println("cannot send: " + e.getMessage());
            return 2;
        }
        URI target = webhook.target(ingestUrl);
        long started = System.nanoTime();
        HttpResponse<String> response;
        try {
            HttpClient client = HttpClients.newClient();
            response = client.send(webhook.toHttpRequest(target, timeout), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            err.println("ingest is not reachable at " + ingestUrl + " (is ./jobpipe up running?)");
            return 1;
        } catch (IOException e) {
            err.println("request to " + target + " failed: " + e);
            return 1;
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (response.statusCode() / 100 != 2) {
            err.println("ingest refused the webhook: " + Problem.of(response).describe());
            return 1;
        }
        JsonNode answer = readJson(response.body());
        String jobId = answer.path("jobId").asText(null);
        if (jobId == null) {
            err.println("ingest answered " + response.statusCode() + " without a jobId: " + response.body());
            return 1;
        }
        out.printf("accepted: job %s (HTTP %d in %d ms, connection %s, delivery %s, %s)%n",
                jobId, response.statusCode(), millis, webhookBody.connection, webhook.deliveryId(),
                signing.signed() ? "signed " + signing.scheme() : "unsigned");
        out.println("  status  " + absolute(answer.path("statusUrl").asText(null), "/jobs/" + HttpClients.segment(jobId)));
        out.println("  events  " + absolute(answer.path("eventsUrl").asText(null),
                "/jobs/" + HttpClients.segment(jobId) + "/events"));
        out.println("  follow  ./jobpipe watch " + jobId);
        out.flush();
        return 0;
    }

    private WebhookRequest webhook() throws IOException {
        WebhookBodyOptions.Payload payload = webhookBody.load();
        String type = payload.eventType();
        WebhookSample sample = payload.sample();
        byte[] bytes = payload.bytes();
        String delivery = deliveryId != null ? deliveryId
                : "cli-" + HexFormat.of().formatHex(randomBytes());
        if (sample != null) {
            bytes = sample.bodyFor(delivery);
        }
        signing = signing();
        Map<String, String> headers = new LinkedHashMap<>();
        if (sample != null) {
            headers.putAll(sample.senderHeaders(type, delivery));
        }
        headers.putAll(signing.headers(bytes, delivery, type, Instant.now().getEpochSecond()));
        headers.putAll(extraHeaders);
        return new WebhookRequest(webhookBody.connection, bytes, type, delivery, headers);
    }

    /** The dev connection's scheme and secret, overridden by --scheme and --secret. */
    private WebhookSigning signing() throws IOException {
        String connection = webhookBody.connection;
        WebhookSigning dev = DevConnections.load(Home.path()).find(connection).orElse(null);
        String chosen = scheme != null ? scheme : dev != null ? dev.scheme() : secret != null ? connection : "none";
        String key = secret != null ? secret : dev != null && dev.scheme().equals(chosen) ? dev.secret() : null;
        if (dev != null && dev.scheme().equals(chosen)) {
            return new WebhookSigning(chosen, key, dev.header(), dev.encoding(), dev.prefix());
        }
        if (!KNOWN_SCHEMES.contains(chosen)) {
            throw new IllegalArgumentException("connection '" + connection + "' is not in the dev configuration; "
                    + "name its --scheme (" + String.join(", ", KNOWN_SCHEMES) + ")");
        }
        return new WebhookSigning(chosen, key, null, null, null);
    }

    private String absolute(String link, String fallbackPath) {
        if (link == null || link.isBlank()) {
            return HttpClients.resolve(statusUrl, fallbackPath).toString();
        }
        return link.startsWith("/") ? HttpClients.resolve(statusUrl, link).toString() : link;
    }

    private static JsonNode readJson(String text) {
        try {
            JsonNode node = Json.MAPPER.readTree(text);
            return node == null ? MissingNode.getInstance() : node;
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[8];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    /** The sample names, for {@code --help} and shell completion. */
    static final class SampleNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(WebhookSample.values()).map(WebhookSample::label).iterator();
        }
    }
}
