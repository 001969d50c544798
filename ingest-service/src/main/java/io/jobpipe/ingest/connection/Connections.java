package io.jobpipe.ingest.connection;

import io.micronaut.context.annotation.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The connections webhooks may arrive on. Built once at startup: a connection naming an unknown scheme
 * stops the service, because silently accepting unsigned requests on it would be worse.
 */
@Context
public final class Connections {
    private static final Logger LOG = LoggerFactory.getLogger(Connections.class);

    private final Map<String, Connection> enabled;

    public Connections(List<ConnectionProperties> settings, List<SignatureScheme> schemes) {
        this.enabled = bind(settings, schemes);
        LOG.info("webhook connections: {}", enabled.values().stream()
                .map(c -> c.name() + "(" + c.scheme().id() + ")").toList());
    }

    static Map<String, Connection> bind(Collection<ConnectionProperties> settings, Collection<SignatureScheme> schemes) {
        Map<String, SignatureScheme> byId = schemes.stream().collect(Collectors.toMap(
                SignatureScheme::id, Function.identity(), (a, b) -> {
                    throw new IllegalStateException("two signature schemes share the id '" + a.id() + "'");
                }, TreeMap::new));
        Map<String, Connection> bound = new TreeMap<>();
        for (ConnectionProperties connection : settings) {
            SignatureScheme scheme = byId.get(connection.scheme());
            if (scheme == null) {
                throw new IllegalStateException("jobpipe.ingest.connections." + connection.name()
                        + ".scheme is '" + connection.scheme() + "'; known schemes: " + byId.keySet());
            }
            if (connection.enabled()) {
                bound.put(connection.name(), new Connection(connection, scheme));
            }
        }
        return Map.copyOf(bound);
    }

    /** The enabled connection of that name; unknown and disabled look the same from outside. */
    public Optional<Connection> find(String name) {
        return Optional.ofNullable(enabled.get(name));
    }
}
