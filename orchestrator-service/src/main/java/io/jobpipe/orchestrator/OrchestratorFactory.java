package io.jobpipe.orchestrator;

import io.jobpipe.core.tracing.Telemetry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import jakarta.inject.Singleton;

/** The orchestrator's tracing; Topics and the PipelineCatalog come from service-support's CoreFactory. */
@Factory
class OrchestratorFactory {
    static final String SERVICE_NAME = "orchestrator-service";

    @Singleton
    @Bean(preDestroy = "close")
    OpenTelemetrySdk openTelemetry() {
        return Telemetry.fromEnvironment(SERVICE_NAME);
    }
}
