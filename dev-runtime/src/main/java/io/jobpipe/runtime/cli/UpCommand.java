package io.jobpipe.runtime.cli;

import io.jobpipe.runtime.supervisor.JobpipeRuntime;
import io.jobpipe.runtime.supervisor.RestartBackoff;
import io.jobpipe.runtime.supervisor.RuntimeOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code ./jobpipe up}: Kafka, PostgreSQL and the four services on this machine until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Start Kafka (KRaft), PostgreSQL and the four services, each in its own JVM; Ctrl-C stops them all.",
                "A child that dies (crash, kill -9) is restarted on the same data directory and ports, after 1 s, "
                        + "doubling to 30 s while it keeps crashing; each restart is printed. Pid files: <data-dir>/pids/."})
final class UpCommand implements Callable<Integer> {

    @Option(names = "--data-dir", description = "Kafka, PostgreSQL, state, workspace and logs (default: <repo>/.jobpipe)")
    Path dataDir;
    @Option(names = "--kafka-port", defaultValue = "9092") int kafkaPort;
    @Option(names = "--kafka-controller-port", defaultValue = "9093") int kafkaControllerPort;
    @Option(names = "--postgres-port", defaultValue = "15432") int postgresPort;
    @Option(names = "--ingest-port", defaultValue = "8080") int ingestPort;
    @Option(names = "--extra-ingest-port", paramLabel = "PORT", split = ",",
            description = "run one more ingest replica on PORT (repeatable, or comma-separated): each its own JVM on "
                    + "the same broker and database, as replicas behind a load balancer are")
    List<Integer> extraIngestPorts = new ArrayList<>();
    @Option(names = "--status-port", defaultValue = "8081") int statusPort;
    @Option(names = "--orchestrator-port", defaultValue = "8082") int orchestratorPort;
    @Option(names = "--worker-port", defaultValue = "8083") int workerPort;
    @Option(names = "--partitions", defaultValue = "3",
            description = "partitions of every job-keyed topic, set on first start (3 suits a 2-core machine; see docs/BENCHMARKS.md)")
    int partitions;
    @Option(names = "--pipelines", description = "pipeline YAML file (default: the built-in seven-stage pipeline)")
    String pipelines;
    @Option(names = "--agent-classpath", paramLabel = "JARS",
            description = "jars (separated by ':') with your own agents, added to the "
                    + "worker's class path; bound as java:<name> (agent-worker README)")
    String agentClassPath;
    @Option(names = "--worker-stages", split = ",", description = {"stages the worker serves, comma-separated "
            + "(default: all); serve the others with ./jobpipe worker --stages"})
    String[] workerStages;
    @Option(names = "--java-opts", defaultValue = "-XX:+UseSerialGC", description = "JVM options of each service, after"
            + " jobpipe's own: a heap of 64-512 MB (status 256-512 MB), which any heap option given here replaces"
            + " (default: ${DEFAULT-VALUE})")
    String javaOpts;

    @Override
    public Integer call() throws InterruptedException {
        Path home = Home.path();
        // Only the worker reads JOBPIPE_WORKER_STAGES.
        RuntimeOptions given = new RuntimeOptions(home, dataDir == null ? home.resolve(".jobpipe") : dataDir,
                kafkaPort, kafkaControllerPort, postgresPort, ingestPort, statusPort, orchestratorPort, workerPort,
                partitions, pipelines == null ? "" : Path.of(pipelines).toAbsolutePath().toString(), javaOpts,
                workerStages == null ? Map.of() : Map.of("JOBPIPE_WORKER_STAGES", String.join(",", workerStages)),
                extraIngestPorts);
        RuntimeOptions options = agentClassPath == null || agentClassPath.isBlank() ? given
                : given.withServiceEnvironment(Map.of(JobpipeRuntime.AGENT_CLASSPATH, absolute(agentClassPath)));
        System.out.println("starting jobpipe (data in " + options.dataDir() + ")");
        JobpipeRuntime runtime;
        try {
            runtime = JobpipeRuntime.start(options, line -> System.out.println("  " + line));
        } catch (JobpipeRuntime.StartupFailure e) {
            System.err.println("jobpipe did not start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nstopping jobpipe…");
            runtime.close();
            System.out.println("stopped; data kept in " + options.dataDir());
            stopped.countDown();
        }, "jobpipe-stop"));
        printWelcome(options);
        runtime.superviseRestarts(RestartBackoff.DEFAULT, line -> System.out.println(Times.clockMillis(Instant.now(), ZoneId.systemDefault()) + " " + line));
        stopped.await();
        return 0;
    }

    /** Relative jar paths are the caller's, not the services' (which run elsewhere). */
    private static String absolute(String classPath) {
        return java.util.Arrays.stream(classPath.split(java.io.File.pathSeparator)).filter(p -> !p.isBlank())
                .map(p -> Path.of(p).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    private static void printWelcome(RuntimeOptions o) {
        System.out.println();
        System.out.println("jobpipe is up:");
        System.out.println("  ingest        " + o.ingestUrl() + "/webhooks/{connection}   (dev connections: demo unsigned; github, slack, stripe, "
                + "standard-webhooks, hmac signed with the README's dev secrets)");
        for (int i = 1; i < o.ingestPorts().size(); i++) {
            System.out.println("  ingest #" + (i + 1) + "     " + o.ingestUrl(i) + "/webhooks/{connection}   (another replica)");
        }
        System.out.println("  status        " + o.statusUrl() + "/jobs/{jobId}   (listing, search, stats and exports"
                + " need a token: curl -H 'Authorization: Bearer " + OpsToken.DEV_READ + "' " + o.statusUrl() + "/jobs)");
        System.out.println("  tokens        " + OpsToken.DEV_READ + " (read), " + OpsToken.DEV_OPERATE
                + " (operate)   (dev profile only; ./jobpipe jobs, dlq and cancel use the operate one)");
        System.out.println("  orchestrator  http://localhost:" + o.orchestratorPort() + "/health");
        System.out.println("  worker        http://localhost:" + o.workerPort() + "/health   (java: agents: the jars in "
                + JobpipeRuntime.agentsDir(o.dataDir()) + "; async agents call back to " + o.ingestUrl()
                + "/callbacks/<token>)");
        System.out.println("  kafka         " + o.bootstrapServers());
        System.out.println("  postgres      " + o.jdbcUrl() + " (user " + RuntimeOptions.DB_USER + ")");
        System.out.println();
        System.out.println("try:  curl -s -XPOST " + o.ingestUrl() + "/webhooks/demo -H 'content-type: application/json' -d '{\"hello\":\"world\"}'");
        System.out.println("Ctrl-C stops everything; a child that dies is restarted.");
    }
}
