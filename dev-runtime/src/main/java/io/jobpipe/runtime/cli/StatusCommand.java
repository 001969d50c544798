package io.jobpipe.runtime.cli;

import io.jobpipe.runtime.supervisor.JobpipeRuntime;
import io.jobpipe.runtime.supervisor.RuntimeOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code ./jobpipe status rebuild}: status-service's read model, rebuilt from the job events topic. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Manage status-service's read model.",
        subcommands = StatusCommand.Rebuild.class)
final class StatusCommand implements Runnable {

    @Override
    public void run() {
        System.err.println("name a subcommand: ./jobpipe status rebuild");
    }

    @Command(name = "rebuild", mixinStandardHelpOptions = true,
            description = {"Empty the read model (jobs, stages, events, feed) and project jobpipe.job.events again from"
                    + " its beginning, with the projection status-service uses: the tables come out as the live"
                    + " projection made them.",
                    "Safe beside a running ./jobpipe up: live projection waits, then goes on. Reads see the tables"
                            + " refill meanwhile. Needs the broker and PostgreSQL of the data directory running.",
                    "Refuses, and changes nothing, when the topic's retention has deleted events of jobs the read"
                            + " model still keeps: they would be dropped or cut. Events of jobs the read model has"
                            + " deleted too may be gone. --allow-partial rebuilds from what is left.",
                    "Exits 0 when done, 1 when it failed or refused."})
    static final class Rebuild implements Callable<Integer> {
        @Option(names = "--data-dir", description = "the data directory of up (default: <repo>/.jobpipe)")
        Path dataDir;
        @Option(names = "--kafka-port", defaultValue = "9092") int kafkaPort;
        @Option(names = "--postgres-port", defaultValue = "15432") int postgresPort;
        @Option(names = "--partitions", defaultValue = "3", description = "as given to up") int partitions;
        @Option(names = "--timeout", defaultValue = "30m", converter = DurationConverter.class,
                description = "give up after this long (default: ${DEFAULT-VALUE})")
        Duration timeout;
        @Option(names = "--allow-partial", description = "rebuild even when part of the topic's history is gone (its"
                + " jobs are dropped from the read model)")
        boolean allowPartial;

        @Override
        public Integer call() throws InterruptedException {
            Path home = Home.path();
            RuntimeOptions options = new RuntimeOptions(home, dataDir == null ? home.resolve(".jobpipe") : dataDir,
                    kafkaPort, 0, postgresPort, 0, 0, 0, 0, partitions, "", "-XX:+UseSerialGC");
            System.out.println("rebuilding the read model from jobpipe.job.events (PostgreSQL :" + postgresPort
                    + ", Kafka :" + kafkaPort + ")");
            int exit = JobpipeRuntime.rebuildStatus(options, timeout, allowPartial, System.out::println);
            if (exit == 0) {
                return 0;
            }
            System.err.println(exit < 0 ? "the rebuild did not finish within " + timeout + "; it was stopped"
                    : "the rebuild failed (exit " + exit + "); its log: " + options.dataDir().resolve("logs")
                    .resolve("status-rebuild.log"));
            return 1;
        }
    }
}
