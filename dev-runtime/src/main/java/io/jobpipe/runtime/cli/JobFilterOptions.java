package io.jobpipe.runtime.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.runtime.client.HttpClients;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Which jobs an ops command means: the filter of {@code dlq list}, bulk {@code dlq replay} and bulk {@code cancel}. */
final class JobFilterOptions {
    @Option(names = "--stage", description = "the stage the job stopped at") String stage;
    @Option(names = "--error-class", paramLabel = "CLASS", description = "the error class, e.g. Timeout") String errorClass;
    @Option(names = "--connection", description = "the webhook connection, e.g. github") String connection;
    @Option(names = "--pipeline", description = "the pipeline") String pipeline;
    @Option(names = "--since", paramLabel = "TIME", converter = InstantConverter.class,
            description = "from this instant (2025-11-20T10:00:00Z) or this long ago (30m, 1h)") Instant since;
    @Option(names = "--until", paramLabel = "TIME", converter = InstantConverter.class,
            description = "up to this instant or this long ago") Instant until;

    /** The filter's fields that are set, in the API's names. */
    Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        put(fields, "stage", stage);
        put(fields, "errorClass", errorClass);
        put(fields, "connection", connection);
        put(fields, "pipeline", pipeline);
        put(fields, "since", since == null ? null : since.toString());
        put(fields, "until", until == null ? null : until.toString());
        return fields;
    }

    boolean isEmpty() {
        return fields().isEmpty();
    }

    ObjectNode toJson() {
        ObjectNode filter = Json.MAPPER.createObjectNode();
        fields().forEach(filter::put);
        return filter;
    }

    /** {@code stage=enrich&since=…}, URL-encoded; empty when nothing is set. */
    String toQuery() {
        return fields().entrySet().stream().map(e -> e.getKey() + "=" + HttpClients.segment(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static void put(Map<String, String> fields, String name, String value) {
        if (value != null && !value.isBlank()) {
            fields.put(name, value);
        }
    }
}
