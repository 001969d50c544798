package io.jobpipe.runtime.infra;

import io.jobpipe.core.runtime.ParentProcessWatch;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.CountDownLatch;

/**
 * Runs embedded PostgreSQL in its own JVM for {@code ./jobpipe up}:
 * {@code <data-dir> <port> <database> <user> <password>}. Stopping this JVM stops the server; when the server
 * dies on its own (a crash, {@code kill -9} of the postmaster), this JVM exits too, so the supervisor sees the
 * child die and restarts it on the same data directory.
 */
public final class PostgresMain {
    private static final AtomicBoolean STOPPING = new AtomicBoolean();

    private PostgresMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 5) {
            System.err.println("usage: PostgresMain <data-dir> <port> <database> <user> <password>");
            System.exit(2);
        }
        ParentProcessWatch.startFromEnvironment();
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(Path.of(args[0]), Integer.parseInt(args[1]));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            STOPPING.set(true);
            server.close();
            stopped.countDown();
        }, "postgres-stop"));
        server.ensureDatabase(args[2], args[3], args[4]);
        System.out.println("READY " + server.jdbcUrl(args[2]));
        exitWhenTheServerDies(server);
        stopped.await();
    }

    private static void exitWhenTheServerDies(EmbeddedPostgresServer server) {
        Optional<ProcessHandle> postmaster = server.serverProcess();
        if (postmaster.isEmpty()) {
            System.err.println("cannot find the PostgreSQL server's pid (postmaster.pid); a crash of it will go unnoticed");
            return;
        }
        postmaster.get().onExit().thenRun(() -> {
            if (STOPPING.get()) {
                return;
            }
            System.err.println("PostgreSQL server " + postmaster.get().pid() + " died; exiting so that it is restarted");
            // halt, not exit: the shutdown hook would try to stop a server that is already gone.
            Runtime.getRuntime().halt(1);
        });
    }
}
