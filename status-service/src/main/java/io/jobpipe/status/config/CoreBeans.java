package io.jobpipe.status.config;

import io.jobpipe.core.kafka.Topics;
import io.jobpipe.core.pipeline.PipelineCatalog;
import io.jobpipe.core.pipeline.PipelineCatalogLoader;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The shared-core objects this service is built from: the topic declarations and the pipeline catalog. */
@Factory
public class CoreBeans {

    @Singleton
    Topics topics(TopicsConfig config) {
        return Topics.of(config.namespace());
    }

    @Singleton
    PipelineCatalog pipelineCatalog(PipelinesConfig config) {
        return PipelineCatalogLoader.load(config.file());
    }
}
