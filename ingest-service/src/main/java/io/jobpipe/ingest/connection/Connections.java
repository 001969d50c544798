package io.jobpipe.ingest.connection;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.env.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The connections webhooks may arrive on. Built once at startup: a connection naming an unknown scheme, a signed
 * one without a secret, or an unsigned one outside the dev profile stops the service, because silently accepting
 * unsigned requests would be worse.
 */
@Context
public final class Connections {
    private static final Logger LOG = LoggerFactory.getLogger(Connections.class);
    static final String DEV_PROFILE = "dev";

    private final Map<String, Connection> enabled;

    public Connections(List<ConnectionProperties> settings, Environment environment) {
        this.enabled = bind(settings, environment.getActiveNames().contains(DEV_PROFILE), Clock.systemUTC());
        LOG.info("webhook connections: {}", enabled.values().stream()
                .map(c -> c.name() + "(" + c.scheme().id() + ")").toList());
    }

    static Map<String, Connection> bind(Collection<ConnectionProperties> settings, boolean devProfile, Clock clock) {
        Map<String, Connection> bound = new TreeMap<>();
        for (ConnectionProperties connection : settings) {
            if (connection.enabled()) {
                bound.put(connection.name(),
                        new Connection(connection, SignatureSchemes.create(connection, devProfile, clock)));
            }
        }
        return Map.copyOf(bound);
    }

    /** The enabled connection of that name; unknown and disabled look the same from outside. */
    public Optional<Connection> find(String name) {
        return Optional.ofNullable(enabled.get(name));
    }
}
