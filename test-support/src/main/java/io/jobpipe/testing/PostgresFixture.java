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

    /**
     * Freezes every process of the server (SIGSTOP), as a hung database or a network partition would look to its
     * clients: connections stay open and nothing answers. Closing the handle resumes them (SIGCONT); so does the
     * JVM's exit, so a failed test cannot leave the next ones a frozen server.
     */
    public Frozen freeze() {
        ProcessHandle postmaster;
        try (Connection c = DriverManager.getConnection(jdbcUrl(), username(), password());
             Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("select pg_backend_pid()")) {
            rs.next();
            long backend = rs.getLong(1);
            // While the connection is open: once it closes, its backend exits, and a look after that found no
            // process (a failed CI run).
            postmaster = ProcessHandle.of(backend).flatMap(ProcessHandle::parent)
                    .orElseThrow(() -> new IllegalStateException("no postmaster above backend " + backend));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot find the PostgreSQL server's processes: " + e.getMessage(), e);
        }
        java.util.List<Long> pids = new java.util.ArrayList<>();
        pids.add(postmaster.pid());
        postmaster.descendants().forEach(p -> pids.add(p.pid()));
        Frozen frozen = new Frozen(pids);
        Runtime.getRuntime().addShutdownHook(new Thread(frozen::close, "postgres-thaw"));
        frozen.signal("-STOP");
        return frozen;
    }

    /** A frozen server; {@link #close()} resumes it (again and again is harmless). */
    public static final class Frozen implements AutoCloseable {
        private final java.util.List<Long> pids;

        private Frozen(java.util.List<Long> pids) {
            this.pids = java.util.List.copyOf(pids);
        }

        public int processes() {
            return pids.size();
        }

        @Override
        public void close() {
            signal("-CONT");
        }

        private void signal(String signal) {
            java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("kill", signal));
            pids.forEach(pid -> command.add(Long.toString(pid)));
            try {
                // Some backends may have exited meanwhile; kill still signals the others.
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start().waitFor();
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot send " + signal + " to PostgreSQL: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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
