package io.jobpipe.runtime.bench;

import io.jobpipe.runtime.infra.EmbeddedPostgresServer;
import io.jobpipe.runtime.supervisor.RuntimeOptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A database of a benchmark's own on the PostgreSQL of a running {@code ./jobpipe up}, owned by jobpipe's user and
 * dropped afterwards, so a benchmark never writes into the running system's tables. Created as the embedded server's
 * superuser (jobpipe's own user may not create databases).
 */
public final class ScratchDatabase implements AutoCloseable {
    private final RuntimeOptions options;
    private final String name;

    private ScratchDatabase(RuntimeOptions options, String name) {
        this.options = options;
        this.name = name;
    }

    public static ScratchDatabase create(RuntimeOptions options, String prefix) throws SQLException {
        ScratchDatabase database = new ScratchDatabase(options, prefix + "_" + System.currentTimeMillis());
        database.asSuperuser("CREATE DATABASE " + database.name + " OWNER \"" + RuntimeOptions.DB_USER + "\"");
        return database;
    }

    public String name() {
        return name;
    }

    public String jdbcUrl() {
        String url = options.jdbcUrl();
        return url.substring(0, url.lastIndexOf('/') + 1) + name;
    }

    @Override
    public void close() throws SQLException {
        asSuperuser("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private void asSuperuser(String sql) throws SQLException {
        String url = options.jdbcUrl();
        try (Connection c = DriverManager.getConnection(url.substring(0, url.lastIndexOf('/') + 1) + "postgres",
                EmbeddedPostgresServer.SUPERUSER, "");
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
