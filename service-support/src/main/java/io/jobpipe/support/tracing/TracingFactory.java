package io.jobpipe.support.tracing;

import io.jobpipe.core.tracing.Telemetry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import jakarta.inject.Singleton;

/**
 * Every service's OpenTelemetry SDK and jobpipe tracer, configured only by the standard {@code OTEL_*} variables
 * (see {@link TracingSdk}); the service name is {@code micronaut.application.name} unless {@code OTEL_SERVICE_NAME}
 * says otherwise. Closing the SDK on shutdown flushes spans still being exported.
 */
@Factory
public class TracingFactory {

    @Singleton
    @Bean(preDestroy = "close")
    OpenTelemetrySdk openTelemetry(@Value("${micronaut.application.name:jobpipe}") String applicationName) {
        return TracingSdk.create(applicationName, System.getenv());
    }

    @Singleton
    Tracer tracer(OpenTelemetry openTelemetry) {
        return Telemetry.tracer(openTelemetry);
    }
}
