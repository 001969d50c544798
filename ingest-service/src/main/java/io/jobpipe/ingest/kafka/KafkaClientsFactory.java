package io.jobpipe.ingest.kafka;

import io.jobpipe.core.event.JobRequested;
import io.jobpipe.core.kafka.Topic;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.core.pipeline.PipelineCatalog;
import io.jobpipe.core.pipeline.PipelineCatalogLoader;
import io.jobpipe.ingest.config.IngestSettings;
import io.jobpipe.ingest.config.ProducerSettings;
import io.jobpipe.ingest.config.TopicSettings;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

import java.util.Map;

/** The Kafka clients of ingest: one producer for job requests, one admin for topics and health. */
@Factory
public class KafkaClientsFactory {

    @Singleton
    Topics topics(TopicSettings settings) {
        return settings.topics();
    }

    @Singleton
    PipelineCatalog pipelineCatalog(@Value("${jobpipe.pipelines.file:}") String file) {
        return PipelineCatalogLoader.load(file);
    }

    /** Closed by {@link JobRequestPublisher}, which knows how long pending sends may take. */
    @Singleton
    Producer<String, JobRequested> jobRequestProducer(@Value("${kafka.bootstrap.servers}") String bootstrapServers,
                                                      Topics topics, ProducerSettings producer, IngestSettings ingest) {
        Topic<JobRequested> topic = topics.jobsRequested;
        Map<String, Object> props = ProducerProperties.of(bootstrapServers, topics.namespace() + "jobpipe-ingest",
                producer, ingest.maxBodyBytes());
        return new KafkaProducer<>(props, topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    @Singleton
    @Bean(preDestroy = "close")
    Admin admin(@Value("${kafka.bootstrap.servers}") String bootstrapServers, Topics topics, ProducerSettings producer) {
        int timeoutMs = (int) producer.requestTimeout().toMillis();
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, topics.namespace() + "jobpipe-ingest-admin",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Math.max(timeoutMs, 5_000)));
    }
}
