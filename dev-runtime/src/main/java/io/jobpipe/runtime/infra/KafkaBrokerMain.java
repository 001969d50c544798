package io.jobpipe.runtime.infra;

import io.jobpipe.core.runtime.ParentProcessWatch;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** Runs the embedded broker in its own JVM for {@code ./jobpipe up}: {@code <data-dir> <port> <controller-port>}. */
public final class KafkaBrokerMain {
    private KafkaBrokerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: KafkaBrokerMain <data-dir> <port> <controller-port>");
            System.exit(2);
        }
        ParentProcessWatch.startFromEnvironment();
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "kafka-stop"));
        System.out.println("READY " + broker.bootstrapServers());
        stopped.await();
    }
}
