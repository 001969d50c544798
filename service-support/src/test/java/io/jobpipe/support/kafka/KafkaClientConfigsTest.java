package io.jobpipe.support.kafka;

import io.micronaut.context.ApplicationContext;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaClientConfigsTest {

    @Test
    void shouldLetTheServicesSettingsOverTheConnectionAndTheOperatorsOverridesOverBoth() {
        Map<String, Object> merged = KafkaClientConfigs.merge(
                Map.of("bootstrap.servers", "a:9092", "client.id", "svc"),
                Map.of("linger.ms", 5, "acks", "all", "client.id", "svc-results"),
                Map.of("linger.ms", "20"));

        assertThat(merged).containsEntry("bootstrap.servers", "a:9092")
                .containsEntry("client.id", "svc-results")
                .containsEntry("acks", "all")
                .containsEntry("linger.ms", "20");
    }

    @Test
    void shouldApplyConfiguredOverridesPerClientTypeLast() {
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "kafka.bootstrap.servers", "b:9092",
                "jobpipe.kafka.producer.linger.ms", "25",
                "jobpipe.kafka.consumer.max.poll.records", "50",
                "jobpipe.kafka.share-consumer.max.poll.records", "3",
                "jobpipe.kafka.streams.producer.retry.backoff.ms", "20",
                "jobpipe.kafka.admin.request.timeout.ms", "2000"))) {
            KafkaClientConfigs configs = context.getBean(KafkaClientConfigs.class);

            Map<String, Object> producer = configs.producer("p", KafkaClientDefaults.stageResultProducer(Duration.ofSeconds(20)));
            assertThat(producer).containsEntry(ProducerConfig.LINGER_MS_CONFIG, "25")
                    .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                    .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "b:9092")
                    .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "p");
            assertThat(configs.consumer("g", "c", KafkaClientDefaults.projectionConsumer(500)))
                    .containsEntry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50")
                    .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "g")
                    .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            assertThat(configs.shareConsumer("g", "c", KafkaClientDefaults.stageShareConsumer(10)))
                    .containsEntry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "3");
            Properties streams = configs.streams("app", KafkaClientDefaults.exactlyOnceStreams(Duration.ofMillis(50)));
            assertThat(new StreamsConfig(streams).originalsWithPrefix(StreamsConfig.PRODUCER_PREFIX))
                    .containsEntry(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "20");
            assertThat(streams).containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "app");
            assertThat(configs.admin("a")).containsEntry("request.timeout.ms", "2000");
        }
    }

    @Test
    void shouldChangeNothingWithoutOverrides() {
        KafkaClientConfigs configs = new KafkaClientConfigs("c:9092", KafkaClientProperties.none());
        Map<String, Object> defaults = KafkaClientDefaults.projectionConsumer(500);

        assertThat(configs.consumer("g", "c", defaults)).containsAllEntriesOf(defaults);
    }
}
