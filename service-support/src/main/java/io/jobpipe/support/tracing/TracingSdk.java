package io.jobpipe.support.tracing;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * Builds a service's OpenTelemetry SDK from the standard {@code OTEL_*} variables with the SDK's own
 * autoconfiguration, under the defaults of {@link OtelVariables}. Every span gets a valid W3C context whether or
 * not it is exported, because trace ids travel in Kafka headers, logs and problem documents either way. With no
 * exporter the SDK has no span processor, hence no queue and no thread: a span costs an id and an object.
 */
public final class TracingSdk {
    private static final Logger LOG = LoggerFactory.getLogger(TracingSdk.class);

    private TracingSdk() {
    }

    /**
     * @param serviceName the {@code service.name} unless {@code OTEL_SERVICE_NAME} names another
     * @param environment the process environment ({@link System#getenv()}); only its {@code OTEL_*} entries count
     */
    public static OpenTelemetrySdk create(String serviceName, Map<String, String> environment) {
        Map<String, String> variables = OtelVariables.properties(environment);
        // System properties (-Dotel.…) are read by the SDK too; the defaults must see them to pick the exporter.
        Map<String, String> named = new HashMap<>(variables);
        System.getProperties().forEach((key, value) -> {
            if (key.toString().startsWith("otel.")) {
                named.put(key.toString(), value.toString());
            }
        });
        Map<String, String> defaults = OtelVariables.defaults(serviceName, named);
        AutoConfiguredOpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> defaults)
                // The SDK reads System.getenv() itself; passing the variables again makes the given map the
                // source (tests), and changes nothing when it is the real environment.
                .addPropertiesCustomizer(config -> variables)
                // Micronaut closes the bean on shutdown (flushing spans); a second hook would race it.
                .disableShutdownHook()
                .build();
        Map<String, String> effective = new HashMap<>(defaults);
        effective.putAll(named);
        log(effective);
        return sdk.getOpenTelemetrySdk();
    }

    private static void log(Map<String, String> config) {
        String exporter = config.getOrDefault(OtelVariables.TRACES_EXPORTER, "none");
        String service = config.get(OtelVariables.SERVICE_NAME);
        if ("none".equals(exporter)) {
            LOG.info("traces of {} are not exported (set OTEL_EXPORTER_OTLP_ENDPOINT to send them to a collector)",
                    service);
            return;
        }
        String endpoint = config.getOrDefault(OtelVariables.TRACES_ENDPOINT, config.get(OtelVariables.ENDPOINT));
        LOG.info("traces of {} go to {}{} (sampler {})", service, exporter, endpoint == null ? "" : " " + endpoint,
                config.getOrDefault("otel.traces.sampler", "parentbased_always_on"));
    }
}
