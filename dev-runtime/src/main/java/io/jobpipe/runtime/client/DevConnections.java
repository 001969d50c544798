package io.jobpipe.runtime.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The connections of ingest's dev profile ({@code ingest-service/src/main/resources/application-dev.yml}, what
 * {@code ./jobpipe up} runs), so {@code ./jobpipe send --connection github} signs with the dev secret without being
 * told it. Read from the file ingest itself loads, so the two never disagree.
 */
public final class DevConnections {
    public static final String RELATIVE_PATH = "ingest-service/src/main/resources/application-dev.yml";

    private final Map<String, WebhookSigning> byName;

    private DevConnections(Map<String, WebhookSigning> byName) {
        this.byName = Map.copyOf(byName);
    }

    /** The dev connections under the repository root {@code home}; none when the file is absent. */
    public static DevConnections load(Path home) throws IOException {
        Path file = home.resolve(RELATIVE_PATH);
        if (!Files.isRegularFile(file)) {
            return new DevConnections(Map.of());
        }
        JsonNode connections = new ObjectMapper(new YAMLFactory()).readTree(file.toFile())
                .at("/jobpipe/ingest/connections");
        Map<String, WebhookSigning> byName = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = connections.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode c = entry.getValue();
            String scheme = c.path("scheme").asText("none");
            JsonNode secrets = c.path("secrets");
            String secret = secrets.isArray() && !secrets.isEmpty() ? secrets.get(0).asText()
                    : secrets.isTextual() ? secrets.asText().split(",")[0].strip() : null;
            byName.put(entry.getKey(), new WebhookSigning(scheme, scheme.equals("none") ? null : secret,
                    text(c, "signature-header"), text(c, "signature-encoding"), text(c, "signature-prefix")));
        }
        return new DevConnections(byName);
    }

    public Optional<WebhookSigning> find(String connection) {
        return Optional.ofNullable(byName.get(connection));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
