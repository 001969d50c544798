package io.jobpipe.ingest.connection;

import io.jobpipe.runtime.infra.FreePorts;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.EnvironmentPropertySource;
import io.micronaut.context.env.MapPropertySource;
import io.micronaut.context.env.PropertySource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Connections as an operator configures them: YAML (here the dev profile's application-dev.yml) with the secrets
 * overridden from the environment, given to the context as the process environment would be.
 */
class ConnectionConfigurationTest {

    @Test
    void shouldDefineOneDevConnectionPerSchemeWithTheReadmesSecrets() {
        try (ApplicationContext context = start(Map.of(), "dev")) {
            Map<String, ConnectionProperties> byName = connections(context);

            assertThat(byName).containsOnlyKeys("demo", "github", "slack", "stripe", "standard-webhooks", "hmac");
            assertThat(byName.get("github").secrets()).containsExactly("dev-github-secret");
            assertThat(byName.get("slack").secrets()).containsExactly("dev-slack-secret");
            assertThat(byName.get("stripe").secrets()).containsExactly("whsec_dev_stripe_secret");
            assertThat(byName.get("standard-webhooks").secrets())
                    .containsExactly("whsec_ZGV2LXN0YW5kYXJkLXdlYmhvb2tzLXNlY3JldA==");
            assertThat(byName.get("hmac").secrets()).containsExactly("dev-hmac-secret");
            assertThat(byName.get("hmac").signatureHeader()).isEqualTo("X-Signature");
            assertThat(byName.get("hmac").signatureEncoding()).isEqualTo("hex");
            assertThat(byName.get("demo").scheme()).isEqualTo("none");
            byName.forEach((name, c) -> assertThat(c.scheme()).isEqualTo(name.equals("demo") ? "none" : name));
        }
    }

    @Test
    void shouldTakeRotatedSecretsFromTheEnvironment() {
        try (ApplicationContext context = start(Map.of("JOBPIPE_INGEST_CONNECTIONS_GITHUB_SECRETS", "rotated-2026,dev-github-secret"), "dev")) {
            assertThat(connections(context).get("github").secrets()).containsExactly("rotated-2026", "dev-github-secret");
            assertThat(context.getBean(Connections.class).find("github")).isPresent();
        }
    }

    @Test
    void shouldDefineASignedConnectionFromTheEnvironmentAloneOutsideTheDevProfile() {
        try (ApplicationContext context = start(Map.of(
                "JOBPIPE_INGEST_CONNECTIONS_SHOP_SCHEME", "hmac",
                "JOBPIPE_INGEST_CONNECTIONS_SHOP_SECRETS", "shop-secret"))) {
            assertThat(connections(context)).containsOnlyKeys("shop");
            assertThat(context.getBean(Connections.class).find("shop")).isPresent();
            assertThat(context.getBean(Connections.class).find("demo")).isEmpty();
        }
    }

    @Test
    void shouldRefuseToStartAnUnsignedConnectionOutsideTheDevProfile() {
        assertThatThrownBy(() -> start(Map.of("JOBPIPE_INGEST_CONNECTIONS_OPEN_SCHEME", "none")).close())
                .hasStackTraceContaining("jobpipe.ingest.connections.open.scheme is 'none'");
    }

    private static Map<String, ConnectionProperties> connections(ApplicationContext context) {
        return context.getBeansOfType(ConnectionProperties.class).stream()
                .collect(Collectors.toMap(ConnectionProperties::name, Function.identity()));
    }

    private static ApplicationContext start(Map<String, Object> environment, String... profiles) {
        Map<String, Object> properties = Map.of(
                "kafka.bootstrap.servers", "127.0.0.1:" + FreePorts.next(),
                "jobpipe.topics.auto-create", "false");
        return ApplicationContext.builder().environments(profiles)
                .properties(properties)
                .propertySources(asEnvironment(environment))
                .environmentPropertySource(false)
                .start();
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
