package io.jobpipe.orchestrator;

import io.jobpipe.core.kafka.Topics;
import io.jobpipe.core.pipeline.PipelineCatalog;
import io.jobpipe.core.pipeline.PipelineCatalogLoader;
import io.jobpipe.core.tracing.Telemetry;
import io.jobpipe.orchestrator.config.PipelinesConfiguration;
import io.jobpipe.orchestrator.config.TopicsConfiguration;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import jakarta.inject.Singleton;

/** The shared-core objects the orchestrator is built from, made from configuration. */
@Factory
class OrchestratorFactory {
    static final String SERVICE_NAME = "orchestrator-service";

    @Singleton
    Topics topics(TopicsConfiguration configuration) {
        return Topics.of(configuration.namespace());
    }

    @Singleton
    PipelineCatalog pipelineCatalog(PipelinesConfiguration configuration) {
        return PipelineCatalogLoader.load(configuration.file());
    }

    @Singleton
    @Bean(preDestroy = "close")
    OpenTelemetrySdk openTelemetry() {
        return Telemetry.fromEnvironment(SERVICE_NAME);
    }
}
