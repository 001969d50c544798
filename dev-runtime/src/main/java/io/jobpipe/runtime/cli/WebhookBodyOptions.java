package io.jobpipe.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.runtime.client.WebhookSample;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What {@code send} and {@code bench} post: the connection, a built-in sample or a JSON file, the event type. */
final class WebhookBodyOptions {

    @Option(names = "--connection", defaultValue = "demo", description = "ingest connection (default: ${DEFAULT-VALUE})")
    String connection;

    @ArgGroup(exclusive = true)
    Body body;

    static final class Body {
        @Option(names = "--file", paramLabel = "PATH", description = "JSON file to post instead of a sample")
        Path file;
        @Option(names = "--sample", paramLabel = "NAME", completionCandidates = SendCommand.SampleNames.class,
                description = "built-in sample: ${COMPLETION-CANDIDATES} (default: the connection's sender's, "
                        + "else generic)")
        String sample;
    }

    @Option(names = "--event-type", description = "sent as X-Event-Type (default: the sample's own, none for --file)")
    String eventType;

    /** The body to post; {@code sample} is null for a file. */
    record Payload(byte[] bytes, String eventType, WebhookSample sample, String label) {
    }

    /** Reads the file (refusing one that is not JSON, so nothing invalid is ever sent) or the sample. */
    Payload load() throws IOException {
        if (body != null && body.file != null) {
            byte[] bytes = Files.readAllBytes(body.file);
            if (!isJson(bytes)) {
                throw new IllegalArgumentException(body.file + " is not JSON");
            }
            return new Payload(bytes, eventType, null, "file " + body.file);
        }
        WebhookSample sample = body == null || body.sample == null ? WebhookSample.forConnection(connection)
                : WebhookSample.named(body.sample);
        return new Payload(sample.body(), eventType == null ? sample.eventType() : eventType, sample,
                "sample " + sample.label());
    }

    private static boolean isJson(byte[] bytes) {
        try {
            JsonNode node = Json.MAPPER.readTree(bytes);
            return node != null && !node.isMissingNode();
        } catch (IOException e) {
            return false;
        }
    }
}
