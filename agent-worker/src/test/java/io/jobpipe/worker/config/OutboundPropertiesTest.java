package io.jobpipe.worker.config;

import io.jobpipe.worker.outbound.OutboundPolicy;
import io.jobpipe.worker.outbound.OutboundRefused;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.core.type.Argument;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the worker's configuration files allow out: nothing inside by default, loopback in the dev profile. */
class OutboundPropertiesTest {

    @Test
    void shouldAllowNothingInsideByDefault() {
        OutboundProperties outbound = bind(Map.of());

        assertThat(outbound.allowCidrs()).isEmpty();
        assertThat(outbound.allowHosts()).isEmpty();
        assertThat(outbound.maxResponseBytes()).isEqualTo(1024 * 1024);
        assertThatThrownBy(() -> outbound.policy().check(URI.create("http://127.0.0.1:9/")))
                .isInstanceOf(OutboundRefused.class);
    }

    @Test
    void shouldAllowLoopbackInTheDevProfile() throws Exception {
        OutboundPolicy dev = bind(Map.of(), "dev").policy();

        assertThat(dev.check(URI.create("http://127.0.0.1:9/")).address().isLoopbackAddress()).isTrue();
        assertThat(dev.check(URI.create("http://[::1]:9/")).address().isLoopbackAddress()).isTrue();
        assertThatThrownBy(() -> dev.check(URI.create("http://10.0.0.1/"))).isInstanceOf(OutboundRefused.class);
    }

    @Test
    void shouldTakeCommaSeparatedBlocksAndNames() {
        OutboundProperties outbound = bind(Map.of(
                "jobpipe.worker.outbound.allow-cidrs", "10.1.0.0/16, fd00::/8",
                "jobpipe.worker.outbound.allow-hosts", "agents.internal"));

        assertThat(outbound.allowCidrs()).containsExactly("10.1.0.0/16", "fd00::/8");
        assertThat(outbound.allowHosts()).containsExactly("agents.internal");
    }

    @Test
    void shouldStopTheWorkerOnABadBlockNamingIt() {
        OutboundProperties outbound = new OutboundProperties(List.of("intranet"), null, Duration.ofSeconds(1), 10, 1);

        assertThatThrownBy(outbound::policy)
                .hasMessageContaining("jobpipe.worker.outbound.allow-cidrs").hasMessageContaining("'intranet'");
    }

    /** The properties as the worker's configuration files and {@code properties} make them; no bean is started. */
    private static OutboundProperties bind(Map<String, Object> properties, String... environments) {
        try (ApplicationContext context = ApplicationContext.builder().environments(environments)
                .properties(properties).build()) {
            Environment environment = context.getEnvironment().start();
            String prefix = "jobpipe.worker.outbound.";
            return new OutboundProperties(
                    environment.getProperty(prefix + "allow-cidrs", Argument.listOf(String.class)).orElse(null),
                    environment.getProperty(prefix + "allow-hosts", Argument.listOf(String.class)).orElse(null),
                    environment.getRequiredProperty(prefix + "connect-timeout", Duration.class),
                    environment.getRequiredProperty(prefix + "max-response-bytes", Integer.class),
                    environment.getRequiredProperty(prefix + "max-connections", Integer.class));
        }
    }
}
