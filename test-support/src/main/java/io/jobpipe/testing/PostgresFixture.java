package io.jobpipe.testing;

import io.jobpipe.runtime.infra.EmbeddedPostgresServer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One real PostgreSQL server per test JVM. Each test class takes a fresh database with
 * {@link #createDatabase(String)}, so tests never see each other's rows.
 */
public final class PostgresFixture {
    private static volatile PostgresFixture shared;

    private final EmbeddedPostgresServer server;

    private PostgresFixture(EmbeddedPostgresServer server) {
        this.server = server;
    }

    public static PostgresFixture shared() {
        if (shared == null) {
            synchronized (PostgresFixture.class) {
                if (shared == null) {
                    EmbeddedPostgresServer server = EmbeddedPostgresServer.start(null, 0);
                    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "postgres-embedded-stop"));
                    shared = new PostgresFixture(server);
                }
            }
        }
        return shared;
    }

    public String jdbcUrl() {
        return server.jdbcUrl("postgres");
    }

    public String username() {
        return EmbeddedPostgresServer.SUPERUSER;
    }

    public String password() {
        return "postgres";
    }

    /** Creates an empty database named after {@code name} (sanitised, made unique) and returns its JDBC URL. */
    public String createDatabase(String name) {
        String clean = name.toLowerCase().replaceAll("[^a-z0-9_]", "_");
        String database = "db_" + (clean.length() > 40 ? clean.substring(0, 40) : clean) + "_" + System.nanoTime();
        try (Connection c = DriverManager.getConnection(jdbcUrl(), username(), password());
             Statement s = c.createStatement()) {
            s.execute("create database \"" + database + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + database + ": " + e.getMessage(), e);
        }
        return server.jdbcUrl(database);
    }
}
