package io.jobpipe.ingest.kafka;

import io.jobpipe.core.event.JobRequested;
import io.jobpipe.core.kafka.Topic;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.ingest.config.IngestProducerProperties;
import io.jobpipe.ingest.config.IngestProperties;
import io.jobpipe.support.kafka.KafkaClientConfigs;
import io.jobpipe.support.kafka.KafkaClientDefaults;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

/** The Kafka client of ingest: one producer for job requests (the admin client is service-support's). */
@Factory
public class KafkaClientsFactory {

    /** Closed by {@link JobRequestPublisher}, which knows how long pending sends may take. */
    @Singleton
    Producer<String, JobRequested> jobRequestProducer(KafkaClientConfigs configs, Topics topics,
                                                      IngestProducerProperties producer, IngestProperties ingest) {
        Topic<JobRequested> topic = topics.jobsRequested;
        return new KafkaProducer<>(configs.producer(topics.namespace() + "jobpipe-ingest",
                KafkaClientDefaults.jobRequestProducer(producer.timeouts(), ingest.maxBodyBytes())),
                topic.keySerde().serializer(), topic.valueSerde().serializer());
    }
}
