package io.jobpipe.ingest.connection;

import io.jobpipe.ingest.request.HeaderLookup;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectionsTest {
    private static final SignatureScheme REJECT_ALL = new SignatureScheme() {
        @Override
        public String id() {
            return "reject-all";
        }

        @Override
        public SignatureCheck verify(ConnectionProperties connection, HeaderLookup headers, byte[] body) {
            return new Refused("no signature header");
        }
    };

    @Test
    void shouldBindEachEnabledConnectionToItsScheme() {
        Map<String, Connection> bound = Connections.bind(List.of(
                new ConnectionProperties("demo", "none", true),
                new ConnectionProperties("strict", "reject-all", true)), List.of(new UnsignedScheme(), REJECT_ALL));

        assertThat(bound).containsOnlyKeys("demo", "strict");
        assertThat(bound.get("demo").verify(name -> null, new byte[0])).isInstanceOf(SignatureScheme.Verified.class);
        assertThat(bound.get("strict").verify(name -> null, new byte[0]))
                .isEqualTo(new SignatureScheme.Refused("no signature header"));
    }

    @Test
    void shouldLeaveDisabledConnectionsOut() {
        Map<String, Connection> bound = Connections.bind(
                List.of(new ConnectionProperties("old", "none", false)), List.of(new UnsignedScheme()));

        assertThat(bound).isEmpty();
    }

    @Test
    void shouldRefuseToStartWhenAConnectionNamesAnUnknownScheme() {
        assertThatThrownBy(() -> Connections.bind(List.of(new ConnectionProperties("gh", "githb", true)),
                List.of(new UnsignedScheme())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("jobpipe.ingest.connections.gh.scheme is 'githb'")
                .hasMessageContaining("[none]");
    }

    @Test
    void shouldFindOnlyEnabledConnectionsByName() {
        Connections connections = new Connections(List.of(new ConnectionProperties("demo", "none", true),
                new ConnectionProperties("off", "none", false)), List.of(new UnsignedScheme()));

        assertThat(connections.find("demo")).isPresent();
        assertThat(connections.find("off")).isEmpty();
        assertThat(connections.find("nope")).isEmpty();
    }

    @Test
    void shouldAcceptEveryRequestOnTheUnsignedScheme() {
        HeaderLookup none = name -> null;
        assertThat(new UnsignedScheme().verify(new ConnectionProperties("d", "none", true), none, "x".getBytes()))
                .isInstanceOf(SignatureScheme.Verified.class);
    }
}
