package io.jobpipe.runtime.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

/**
 * A real PostgreSQL server (zonky's embedded binaries) whose data lives in {@code dataDir}, so a restart keeps
 * it. A server left running by a launcher that was killed is stopped before the new one starts.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    public static final String SUPERUSER = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path dataDir;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDir) {
        this.postgres = postgres;
        this.dataDir = dataDir;
    }

    /** Starts on {@code port} (0 = any free port) with data in {@code dataDir} (null = a throwaway dir). */
    public static EmbeddedPostgresServer start(Path dataDir, int port) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setPort(port == 0 ? FreePorts.next() : port)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "200");
            if (dataDir != null) {
                Files.createDirectories(dataDir);
                stopStaleServer(dataDir);
                builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
            }
            return new EmbeddedPostgresServer(builder.start(), dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    /**
     * A server left running (its launcher JVM was killed) is stopped with a fast shutdown (SIGINT: sessions are
     * ended, as a smart shutdown on SIGTERM would wait for the services' pools to disconnect, which they never do).
     */
    private static void stopStaleServer(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        Optional<ProcessHandle> stale = serverProcess(dataDir);
        if (stale.isPresent()) {
            long pid = stale.get().pid();
            LOG.warn("stopping PostgreSQL {} left running in {}", pid, dataDir);
            signal("INT", pid);
            try {
                stale.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("PostgreSQL {} did not stop within 30 s; killing it", pid);
                stale.get().destroyForcibly();
            }
        }
        Files.deleteIfExists(pidFile);
    }

    /** The running postmaster of {@code dataDir}, from its {@code postmaster.pid}. */
    public static Optional<ProcessHandle> serverProcess(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            String firstLine = Files.exists(pidFile) ? Files.readAllLines(pidFile).stream().findFirst().orElse("").trim() : "";
            return firstLine.isEmpty() ? Optional.empty() : ProcessHandle.of(Long.parseLong(firstLine)).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The running postmaster of this server, if it is still running. */
    public Optional<ProcessHandle> serverProcess() {
        return dataDir == null ? Optional.empty() : serverProcess(dataDir);
    }

    private static void signal(String name, long pid) throws IOException {
        try {
            new ProcessBuilder("kill", "-" + name, String.valueOf(pid)).inheritIO().start().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    /** Creates {@code user} (with {@code password}) and its database {@code database} unless they exist. */
    public void ensureDatabase(String database, String user, String password) {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, "");
             Statement s = c.createStatement()) {
            if (!exists(s, "select 1 from pg_roles where rolname = '" + user.replace("'", "''") + "'")) {
                s.execute("create role \"" + user + "\" login password '" + password.replace("'", "''") + "'");
            }
            if (!exists(s, "select 1 from pg_database where datname = '" + database.replace("'", "''") + "'")) {
                s.execute("create database \"" + database + "\" owner \"" + user + "\"");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + database + ": " + e.getMessage(), e);
        }
    }

    private static boolean exists(Statement s, String query) throws SQLException {
        try (ResultSet rs = s.executeQuery(query)) {
            return rs.next();
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
