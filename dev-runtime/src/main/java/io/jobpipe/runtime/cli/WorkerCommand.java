package io.jobpipe.runtime.cli;

import io.jobpipe.runtime.supervisor.JobpipeRuntime;
import io.jobpipe.runtime.supervisor.ManagedProcess;
import io.jobpipe.runtime.supervisor.RuntimeOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code ./jobpipe worker --stages act}: one more agent worker beside a running {@code ./jobpipe up}, serving only the
 * stages named, until Ctrl-C. It joins the same share group, so it takes its share of those stages' requests.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Start one more agent worker (its own JVM) beside a running './jobpipe up', serving only --stages;"
                + " Ctrl-C stops it.",
                "E.g. give a slow stage its own process: ./jobpipe up --worker-stages validate,normalize,enrich,decide,"
                        + "record,notify, then ./jobpipe worker --stages act."})
final class WorkerCommand implements Callable<Integer> {

    @Option(names = "--stages", required = true, split = ",",
            description = "stages to serve, comma-separated (a name no pipeline has stops the worker, listing the known ones)")
    String[] stages;
    @Option(names = "--port", defaultValue = "8084", description = "its health and metrics port (default: ${DEFAULT-VALUE})")
    int port;
    @Option(names = "--data-dir", description = "the data directory of the running up (default: <repo>/.jobpipe)")
    Path dataDir;
    @Option(names = "--kafka-port", defaultValue = "9092") int kafkaPort;
    @Option(names = "--partitions", defaultValue = "3", description = "as given to up") int partitions;
    @Option(names = "--pipelines", description = "the pipeline YAML file up runs (default: the built-in pipeline)")
    String pipelines;
    @Option(names = "--java-opts", defaultValue = "-Xms64m -Xmx512m -XX:+UseSerialGC") String javaOpts;

    @Override
    public Integer call() throws InterruptedException {
        Path home = Home.path();
        RuntimeOptions options = new RuntimeOptions(home, dataDir == null ? home.resolve(".jobpipe") : dataDir,
                kafkaPort, 0, 0, 0, 0, 0, port, partitions,
                pipelines == null ? "" : Path.of(pipelines).toAbsolutePath().toString(), javaOpts);
        String served = String.join(",", stages);
        System.out.println("starting a worker for " + served + " (health on :" + port + ")");
        ManagedProcess worker;
        try {
            worker = JobpipeRuntime.startExtraWorker(options, port, served);
        } catch (JobpipeRuntime.StartupFailure e) {
            System.err.println("the worker did not start: " + e.getMessage());
            return 1;
        }
        System.out.println("worker ready: stages " + served + ", pid " + worker.pid() + ", log " + worker.logFile());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> worker.stop(Duration.ofSeconds(20)), "worker-stop"));
        while (worker.isAlive()) {
            Thread.sleep(500);
        }
        System.err.println("the worker exited with code " + worker.exitCode() + ". Last lines of " + worker.logFile()
                + ":\n  " + String.join("\n  ", worker.logTail(20)));
        return 1;
    }
}
