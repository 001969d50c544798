package io.jobpipe.runtime.infra;

import io.jobpipe.core.runtime.ParentProcessWatch;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs embedded PostgreSQL in its own JVM for {@code ./jobpipe up}:
 * {@code <data-dir> <port> <database> <user> <password>}. Stopping this JVM stops the server.
 */
public final class PostgresMain {
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
            server.close();
            stopped.countDown();
        }, "postgres-stop"));
        server.ensureDatabase(args[2], args[3], args[4]);
        System.out.println("READY " + server.jdbcUrl(args[2]));
        stopped.await();
    }
}
