package io.jobpipe.support.config;

import io.jobpipe.core.kafka.Topics;
import io.jobpipe.support.kafka.KafkaClientConfigs;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.EnvironmentPropertySource;
import io.micronaut.context.env.MapPropertySource;
import io.micronaut.context.env.PropertySource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The variables of README's configuration table reach the shared records although no application.yml names
 * them: Micronaut maps an environment variable onto the property of the same words. The variables are given
 * to the context as the process environment would be (same naming convention, same position).
 */
class EnvironmentVariablesTest {

    @Test
    void shouldBindTheSharedVariablesOfTheConfigurationTable() {
        Map<String, Object> environment = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "broker-1:9092,broker-2:9092",
                "JOBPIPE_TOPICS_NAMESPACE", "staging.",
                "JOBPIPE_TOPICS_PARTITIONS", "12",
                "JOBPIPE_TOPICS_REPLICATION_FACTOR", "3",
                "JOBPIPE_TOPICS_AUTO_CREATE", "false",
                "JOBPIPE_PIPELINES_FILE", "/etc/jobpipe/pipelines.yaml",
                "JOBPIPE_TOPICS_PROVISIONING_TIMEOUT", "7s");

        try (ApplicationContext context = ApplicationContext.builder().propertySources(asEnvironment(environment))
                .environmentPropertySource(false).start()) {
            assertThat(context.getBean(KafkaClientConfigs.class).bootstrapServers()).isEqualTo("broker-1:9092,broker-2:9092");
            assertThat(context.getBean(TopicsProperties.class)).isEqualTo(new TopicsProperties("staging.", 12, (short) 3, false));
            assertThat(context.getBean(PipelinesProperties.class).file()).isEqualTo("/etc/jobpipe/pipelines.yaml");
            assertThat(context.getBean(TopicProvisioningProperties.class).timeout()).hasSeconds(7);
        }
    }

    @Test
    void shouldDefaultTheBootstrapServersToALocalBroker() {
        try (ApplicationContext context = ApplicationContext.builder().environmentPropertySource(false).start()) {
            assertThat(context.getBean(KafkaClientConfigs.class).bootstrapServers()).isEqualTo("localhost:9092");
            assertThat(context.getBean(Topics.class).namespace()).isEmpty();
        }
    }

    @Test
    void shouldLetAServicesOwnConfigurationOverrideTheSharedDefaults() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("kafka.bootstrap.servers", "mine:9092",
                "endpoints.health.details-visible", "ANONYMOUS"))) {
            assertThat(context.getBean(KafkaClientConfigs.class).bootstrapServers()).isEqualTo("mine:9092");
            assertThat(context.getProperty("endpoints.health.details-visible", String.class)).contains("ANONYMOUS");
        }
    }

    private static PropertySource asEnvironment(Map<String, Object> variables) {
        return new MapPropertySource("test-environment", variables) {
            @Override
            public PropertyConvention getConvention() {
                return PropertyConvention.ENVIRONMENT_VARIABLE;
            }

            @Override
            public int getOrder() {
                return EnvironmentPropertySource.POSITION;
            }
        };
    }
}
