package io.jobpipe.ingest.connection;

import io.jobpipe.ingest.signature.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectionsTest {
    private static final Clock CLOCK = Clock.systemUTC();

    @Test
    void shouldBindEachEnabledConnectionToItsScheme() {
        Map<String, Connection> bound = Connections.bind(List.of(
                ConnectionProperties.of("demo", "none", true),
                ConnectionProperties.of("gh", "github", true, "s3cret"),
                ConnectionProperties.of("sl", "slack", true, "s3cret"),
                ConnectionProperties.of("st", "stripe", true, "whsec_x"),
                ConnectionProperties.of("sw", "standard-webhooks", true, "whsec_ZGV2"),
                ConnectionProperties.of("hm", "hmac", true, "s3cret")), true, CLOCK);

        assertThat(bound).containsOnlyKeys("demo", "gh", "sl", "st", "sw", "hm");
        assertThat(bound.get("sw").scheme().id()).isEqualTo("standard-webhooks");
        assertThat(bound.get("demo").verify(name -> null, new byte[0])).isInstanceOf(Verdict.Authentic.class);
        assertThat(bound.get("gh").verify(name -> null, new byte[0]))
                .isEqualTo(new Verdict.Refused("The X-Hub-Signature-256 header is missing."));
    }

    @Test
    void shouldLeaveDisabledConnectionsOut() {
        assertThat(Connections.bind(List.of(ConnectionProperties.of("old", "none", false)), false, CLOCK)).isEmpty();
    }

    @Test
    void shouldRefuseToStartWhenAConnectionNamesAnUnknownScheme() {
        assertThatThrownBy(() -> Connections.bind(List.of(ConnectionProperties.of("gh", "githb", true, "x")), true, CLOCK))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("jobpipe.ingest.connections.gh.scheme is 'githb'")
                .hasMessageContaining("standard-webhooks");
    }

    @Test
    void shouldRefuseToStartAnUnsignedConnectionOutsideTheDevProfile() {
        assertThatThrownBy(() -> Connections.bind(List.of(ConnectionProperties.of("demo", "none", true)), false, CLOCK))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("jobpipe.ingest.connections.demo.scheme is 'none'")
                .hasMessageContaining("dev profile");
    }

    @Test
    void shouldRefuseToStartASignedConnectionWithoutASecret() {
        for (String scheme : List.of("github", "slack", "stripe", "standard-webhooks", "hmac")) {
            assertThatThrownBy(() -> Connections.bind(List.of(ConnectionProperties.of("c", scheme, true)), true, CLOCK))
                    .as(scheme).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("jobpipe.ingest.connections.c").hasMessageContaining("secret");
        }
    }

    @Test
    void shouldRefuseToStartAnHmacConnectionWithAnUnknownEncoding() {
        ConnectionProperties odd = new ConnectionProperties("h", "hmac", true, List.of("s"), java.time.Duration.ofMinutes(5),
                "X-Signature", "base32", "");
        assertThatThrownBy(() -> Connections.bind(List.of(odd), true, CLOCK))
                .hasMessageContaining("signature-encoding must be hex or base64");
    }

    @Test
    void shouldNeverPrintSecrets() {
        assertThat(ConnectionProperties.of("gh", "github", true, "hunter2", "hunter3").toString())
                .doesNotContain("hunter").contains("2 redacted");
    }
}
