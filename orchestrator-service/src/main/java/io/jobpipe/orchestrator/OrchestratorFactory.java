package io.jobpipe.orchestrator;

import io.jobpipe.core.kafka.Topics;
import io.jobpipe.core.pipeline.PipelineCatalog;
import io.jobpipe.core.pipeline.PipelineCatalogLoader;
import io.jobpipe.orchestrator.config.PipelinesConfiguration;
import io.jobpipe.orchestrator.config.TopicsConfiguration;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The shared-core objects the orchestrator is built from, made from configuration. */
@Factory
class OrchestratorFactory {
    @Singleton
    Topics topics(TopicsConfiguration configuration) {
        return Topics.of(configuration.namespace());
    }

    @Singleton
    PipelineCatalog pipelineCatalog(PipelinesConfiguration configuration) {
        return PipelineCatalogLoader.load(configuration.file());
    }
}
