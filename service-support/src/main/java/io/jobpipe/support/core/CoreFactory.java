package io.jobpipe.support.core;

import io.jobpipe.core.kafka.Topics;
import io.jobpipe.core.pipeline.PipelineCatalog;
import io.jobpipe.core.pipeline.PipelineCatalogLoader;
import io.jobpipe.support.config.PipelinesProperties;
import io.jobpipe.support.config.TopicsProperties;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The pipeline-core objects every service is built from, made once from the shared configuration. */
@Factory
public class CoreFactory {

    @Singleton
    Topics topics(TopicsProperties properties) {
        return properties.topics();
    }

    @Singleton
    PipelineCatalog pipelineCatalog(PipelinesProperties properties) {
        return PipelineCatalogLoader.load(properties.file());
    }
}
