package io.jobpipe.ingest.kafka;

import io.jobpipe.core.event.JobRequested;
import io.jobpipe.core.event.StageResult;
import io.jobpipe.core.kafka.Topic;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.ingest.config.IngestProducerProperties;
import io.jobpipe.ingest.config.IngestProperties;
import io.jobpipe.support.kafka.KafkaClientConfigs;
import io.jobpipe.support.kafka.KafkaClientDefaults;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

/**
 * The Kafka clients of ingest: one producer for job requests, one for agents' callbacks (only made when a callback
 * arrives); the admin client is service-support's.
 */
@Factory
public class KafkaClientsFactory {

    /** Closed by {@link JobRequestPublisher}, which knows how long pending sends may take. */
    @Singleton
    Producer<String, JobRequested> jobRequestProducer(KafkaClientConfigs configs, Topics topics,
                                                      IngestProducerProperties producer, IngestProperties ingest) {
        return producer(configs, topics.namespace() + "jobpipe-ingest", topics.jobsRequested, producer, ingest);
    }

    /** Closed by {@link CallbackResultPublisher}. A result's output is bounded by the same body limit as a webhook. */
    @Singleton
    @Named("callbacks")
    Producer<String, StageResult> callbackResultProducer(KafkaClientConfigs configs, Topics topics,
                                                         IngestProducerProperties producer, IngestProperties ingest) {
        return producer(configs, topics.namespace() + "jobpipe-ingest-callbacks", topics.stageResults, producer,
                ingest);
    }

    private static <V> Producer<String, V> producer(KafkaClientConfigs configs, String clientId, Topic<V> topic,
                                                    IngestProducerProperties producer, IngestProperties ingest) {
        return new KafkaProducer<>(configs.producer(clientId,
                KafkaClientDefaults.jobRequestProducer(producer.timeouts(), ingest.maxBodyBytes())),
                topic.keySerde().serializer(), topic.valueSerde().serializer());
    }
}
