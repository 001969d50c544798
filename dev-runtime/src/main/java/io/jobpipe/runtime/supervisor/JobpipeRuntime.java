package io.jobpipe.runtime.supervisor;

import io.jobpipe.core.kafka.TopicProvisioner;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.core.pipeline.PipelineCatalog;
import io.jobpipe.core.pipeline.PipelineCatalogLoader;
import io.jobpipe.runtime.infra.FreePorts;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs the whole system on one machine: a Kafka broker and PostgreSQL (each in its own JVM, data under
 * {@code dataDir}), the topics, then the four services, each in its own JVM, as they would run in production
 * (configured only by environment variables). {@link #close()} stops the services first, then the infrastructure.
 */
public final class JobpipeRuntime implements AutoCloseable {
    private static final Duration INFRA_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration SERVICE_TIMEOUT = Duration.ofSeconds(90);
    private static final String WORKER_MAIN = "io.jobpipe.worker.WorkerApplication";

    private final RuntimeOptions options;
    private final Consumer<String> progress;
    private final List<ManagedProcess> infrastructure = new ArrayList<>();
    private final List<ManagedProcess> services = new ArrayList<>();
    private final Map<ManagedProcess, BooleanSupplier> readiness = new LinkedHashMap<>();
    private final Map<ManagedProcess, ClassDataArchive> archives = new LinkedHashMap<>();
    /** Whether children may record class data archives (only a runtime that also stops them can keep them). */
    private final boolean recordsArchives;
    private volatile ChildSupervisor supervisor;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private JobpipeRuntime(RuntimeOptions options, Consumer<String> progress, boolean recordsArchives) {
        this.options = options;
        this.progress = progress;
        this.recordsArchives = recordsArchives;
    }

    /** Starts everything and returns once every service answers its health check; fails loudly otherwise. */
    public static JobpipeRuntime start(RuntimeOptions options, Consumer<String> progress) {
        JobpipeRuntime runtime = new JobpipeRuntime(options, progress, true);
        try {
            runtime.startAll();
            return runtime;
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    public RuntimeOptions options() {
        return options;
    }

    private void startAll() {
        Instant begin = Instant.now();
        checkBuilt();
        checkPortsFree();
        PipelineCatalog catalog = catalog();
        Path data = options.dataDir().toAbsolutePath();
        ManagedProcess kafka = java("kafka", "dev-runtime", "io.jobpipe.runtime.infra.KafkaBrokerMain",
                List.of(data.resolve("kafka").toString(), String.valueOf(options.kafkaPort()),
                        String.valueOf(options.kafkaControllerPort())), Map.of(), "-Xms128m -Xmx768m -XX:+UseSerialGC");
        ManagedProcess postgres = java("postgres", "dev-runtime", "io.jobpipe.runtime.infra.PostgresMain",
                List.of(data.resolve("postgres").toString(), String.valueOf(options.postgresPort()),
                        RuntimeOptions.DATABASE, RuntimeOptions.DB_USER, RuntimeOptions.DB_PASSWORD),
                Map.of(), "-Xms32m -Xmx128m -XX:+UseSerialGC");
        infrastructure.add(kafka);
        infrastructure.add(postgres);
        readiness.put(kafka, this::kafkaReady);
        readiness.put(postgres, this::postgresReady);
        startAndAwait(infrastructure, readiness, INFRA_TIMEOUT);

        try (Admin admin = admin()) {
            List<String> created = new TopicProvisioner(admin, options.partitions(), (short) 1)
                    .ensure(Topics.DEFAULT, catalog.allStageNames());
            progress.accept(created.isEmpty() ? "topics       ready (all existed)" : "topics       created " + created.size());
        }

        Map<String, String> common = commonEnvironment();
        String callbackSecret = DevCallbackSecret.of(data);
        Map<ManagedProcess, BooleanSupplier> health = new LinkedHashMap<>();
        Map<String, String> ingest = Map.of(
                "MICRONAUT_ENVIRONMENTS", "dev",
                "JOBPIPE_STATUS_URL", options.statusUrl(),
                "JOBPIPE_DB_URL", options.jdbcUrl(),
                "JOBPIPE_DB_USER", RuntimeOptions.DB_USER,
                "JOBPIPE_DB_PASSWORD", RuntimeOptions.DB_PASSWORD,
                "JOBPIPE_INGEST_CALLBACKS_ENABLED", "true",
                "JOBPIPE_CALLBACK_SECRET", callbackSecret);
        List<Integer> ingestPorts = options.ingestPorts();
        for (int i = 0; i < ingestPorts.size(); i++) {
            service(ingestName(i), "ingest-service", "io.jobpipe.ingest.IngestApplication", ingestPorts.get(i), ingest,
                    common, health);
        }
        service("orchestrator", "orchestrator-service", "io.jobpipe.orchestrator.OrchestratorApplication",
                options.orchestratorPort(), Map.of(
                        "JOBPIPE_STATE_DIR", data.resolve("orchestrator-state").toString(),
                        // One orchestrator here: a static member, so a restart after a crash resumes at once.
                        "JOBPIPE_ORCHESTRATOR_INSTANCE_ID", "orchestrator"), common, health);
        service("worker", "agent-worker", WORKER_MAIN, options.workerPort(), workerEnvironment(), common, health);
        // The dev profile (status-service's application-dev.yml) holds the dev ops tokens ./jobpipe dlq and cancel use.
        service("status", "status-service", "io.jobpipe.status.StatusApplication", options.statusPort(), Map.of(
                "MICRONAUT_ENVIRONMENTS", "dev",
                "JOBPIPE_DB_URL", options.jdbcUrl(),
                "JOBPIPE_DB_USER", RuntimeOptions.DB_USER,
                "JOBPIPE_DB_PASSWORD", RuntimeOptions.DB_PASSWORD,
                // status serves the files jobs wrote (GET /jobs/{id}/artifacts/{name}) from the worker's workspace
                "JOBPIPE_WORKSPACE", data.resolve("workspace").toString()), common, health);
        readiness.putAll(health);
        reportRecordings();
        startAndAwait(services, health, SERVICE_TIMEOUT);
        progress.accept(String.format("jobpipe      up in %.1f s", Duration.between(begin, Instant.now()).toMillis() / 1000.0));
    }

    private void reportRecordings() {
        long recording = archives.values().stream().filter(ClassDataArchive::isRecording).count();
        if (recording > 0) {
            progress.accept("class data   first start of this build: the JVMs record what they load when they stop, "
                    + "and start about twice as fast from then on");
        }
    }

    /** What every service is given: Kafka, the topics' partitions, the pipeline file. */
    private Map<String, String> commonEnvironment() {
        Map<String, String> common = new LinkedHashMap<>();
        common.put("KAFKA_BOOTSTRAP_SERVERS", options.bootstrapServers());
        common.put("JOBPIPE_TOPICS_PARTITIONS", String.valueOf(options.partitions()));
        common.put("JOBPIPE_PIPELINES_FILE", options.pipelinesFile() == null ? "" : options.pipelinesFile());
        return common;
    }

    /**
     * What a worker is given besides the common environment: its workspace, and the callback settings. Asynchronous
     * agents call back to the (first) ingest on loopback: allowed only because this is dev.
     */
    private Map<String, String> workerEnvironment() {
        Path data = options.dataDir().toAbsolutePath();
        // The dev profile (agent-worker's application-dev.yml) lets outbound calls reach the examples on loopback.
        return Map.of("MICRONAUT_ENVIRONMENTS", "dev",
                "JOBPIPE_WORKSPACE", data.resolve("workspace").toString(),
                "JOBPIPE_PUBLIC_BASE_URL", "http://127.0.0.1:" + options.ingestPort(),
                "JOBPIPE_CALLBACKS_ALLOW_LOOPBACK", "true",
                "JOBPIPE_CALLBACK_SECRET", DevCallbackSecret.of(data));
    }

    /**
     * One more agent worker beside a running {@code up} ({@code ./jobpipe worker}): serves {@code stages}
     * (comma-separated; blank: all) with its health on {@code port}, in the same share group, workspace and logs
     * folder. Returns once it is ready; fails with its log's tail if it exits or is not ready in time.
     */
    public static ManagedProcess startExtraWorker(RuntimeOptions options, int port, String stages) {
        JobpipeRuntime runtime = new JobpipeRuntime(options, line -> { }, false);
        runtime.checkBuilt();
        Map<String, String> own = new LinkedHashMap<>(runtime.workerEnvironment());
        own.put("JOBPIPE_WORKER_STAGES", stages == null ? "" : stages);
        Map<ManagedProcess, BooleanSupplier> health = new LinkedHashMap<>();
        runtime.service("worker-" + port, "agent-worker", WORKER_MAIN, port, own, runtime.commonEnvironment(), health);
        ManagedProcess worker = runtime.services.get(0);
        worker.start();
        try {
            runtime.awaitReady(worker, health.get(worker), SERVICE_TIMEOUT);
        } catch (RuntimeException e) {
            worker.stop(Duration.ofSeconds(10));
            throw e;
        }
        return worker;
    }

    /**
     * Rebuilds status-service's read model from the job events topic ({@code ./jobpipe status rebuild}), beside a
     * running {@code up} or not (the broker and PostgreSQL must be up): runs status-service's {@code rebuild} mode
     * with the settings {@code up} gives status, passes each line it prints to {@code output}, and returns its exit
     * code (0 done; 1 failed, or refused because part of the topic's history is gone and {@code allowPartial} is
     * false), or -1 after {@code timeout}.
     */
    public static int rebuildStatus(RuntimeOptions options, Duration timeout, boolean allowPartial,
                                    Consumer<String> output) throws InterruptedException {
        return runStatusMode(options, allowPartial ? List.of("rebuild", "--allow-partial") : List.of("rebuild"),
                options.jdbcUrl(), "status-rebuild", "rebuild", timeout, output);
    }

    /**
     * Runs one of status-service's modes ({@code args}, e.g. {@code rebuild}) on the database {@code jdbcUrl}, with
     * the settings {@code up} gives status and no HTTP server; passes each line it prints that starts with
     * {@code prefix} (and every WARN or ERROR) to {@code output}; returns its exit code, or -1 after {@code timeout}.
     */
    public static int runStatusMode(RuntimeOptions options, List<String> args, String jdbcUrl, String logName,
                                    String prefix, Duration timeout, Consumer<String> output)
            throws InterruptedException {
        ManagedProcess mode = statusProcess(options, logName, args, jdbcUrl, -1, Map.of(), options.javaOpts());
        // The log is appended to: what earlier runs wrote is not this run's.
        LogFollower log = new LogFollower(mode.logFile());
        mode.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean alive = mode.isAlive();
            for (String line : alive ? log.newLines() : log.rest()) {
                if (line.startsWith(prefix) || line.contains(" ERROR ") || line.contains(" WARN ")) {
                    output.accept(line);
                }
            }
            if (!alive) {
                return mode.exitCode() == null ? 1 : mode.exitCode();
            }
            if (System.nanoTime() > deadline) {
                mode.stop(Duration.ofSeconds(10));
                return -1;
            }
            Thread.sleep(500);
        }
    }

    /**
     * A status-service of its own (not started), for a benchmark or a mode ({@code args}; none for the service): the
     * settings {@code up} gives status, on the database {@code jdbcUrl} and HTTP port {@code port} (-1: none), with
     * {@code own} on top (a topic namespace, caps).
     */
    public static ManagedProcess statusProcess(RuntimeOptions options, String logName, List<String> args,
                                               String jdbcUrl, int port, Map<String, String> own, String javaOpts) {
        JobpipeRuntime runtime = new JobpipeRuntime(options, line -> { }, false);
        runtime.checkBuilt();
        Map<String, String> env = new LinkedHashMap<>(options.serviceEnvironment());
        env.putAll(runtime.commonEnvironment());
        env.putAll(Map.of("MICRONAUT_ENVIRONMENTS", "dev", "JOBPIPE_DB_URL", jdbcUrl,
                "JOBPIPE_DB_USER", RuntimeOptions.DB_USER, "JOBPIPE_DB_PASSWORD", RuntimeOptions.DB_PASSWORD,
                "MICRONAUT_SERVER_PORT", String.valueOf(port)));
        env.putAll(own);
        return runtime.java(logName, "status-service", "io.jobpipe.status.StatusApplication", args, env, javaOpts);
    }

    /** Adds a service, ready when its {@code /health} on {@code port} answers 200. */
    private void service(String name, String module, String mainClass, int port, Map<String, String> own,
                         Map<String, String> common, Map<ManagedProcess, BooleanSupplier> health) {
        Map<String, String> env = new LinkedHashMap<>(options.serviceEnvironment());
        env.putAll(common);
        env.putAll(own);
        env.put("MICRONAUT_SERVER_PORT", String.valueOf(port));
        ManagedProcess process = java(name, module, mainClass, List.of(), env, options.javaOpts());
        services.add(process);
        health.put(process, () -> healthy(port));
    }

    /**
     * Extra class path of the worker ({@code ./jobpipe up --agent-classpath}): jars holding users' own agents, found
     * through {@code ServiceLoader} and bound as {@code java:<name>}.
     */
    public static final String AGENT_CLASSPATH = "JOBPIPE_AGENT_CLASSPATH";

    private ManagedProcess java(String name, String module, String mainClass, List<String> args,
                                Map<String, String> env, String javaOpts) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(ServiceJvmOptions.of(module, javaOpts));
        Path libDir = jar(module).resolveSibling("lib");
        String baseClassPath = jar(module) + File.pathSeparator + libDir + File.separator + "*";
        String classPath = baseClassPath;
        if (module.equals("agent-worker")) {
            // Users' own java:<name> agents, after the worker's own jars so they cannot replace its classes: every jar
            // in <data-dir>/agents (only when it has any, so the class path stays the one the archive was recorded
            // with), then ./jobpipe up --agent-classpath.
            if (hasJars(agentsDir(options.dataDir()))) {
                classPath += File.pathSeparator + agentsDir(options.dataDir()) + File.separator + "*";
            }
            String agentClassPath = env.getOrDefault(AGENT_CLASSPATH, "");
            if (!agentClassPath.isBlank()) {
                classPath += File.pathSeparator + agentClassPath;
            }
        }
        ClassDataArchive archive = ClassDataArchive.of(jar(module), libDir,
                mainClass.substring(mainClass.lastIndexOf('.') + 1), Runtime.version());
        // Recorded on the module's own class path only: an archive holds for class paths that begin with the one it
        // was recorded with, so one recorded with a user's agent jars would be refused by every start without them.
        command.addAll(archive.jvmOptions(recordsArchives && classPath.equals(baseClassPath)));
        command.add("-Djobpipe.process=" + name);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(args);
        Path data = options.dataDir().toAbsolutePath();
        ManagedProcess process = new ManagedProcess(name, command, env, data.resolve("logs").resolve(name + ".log"),
                pidFile(data, name));
        archives.put(process, archive);
        return process;
    }

    private static boolean hasJars(Path dir) {
        try (var files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".jar"));
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    private void startAndAwait(List<ManagedProcess> processes, Map<ManagedProcess, BooleanSupplier> ready, Duration timeout) {
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        for (ManagedProcess process : processes) {
            Instant started = Instant.now();
            process.start();
            waits.add(CompletableFuture.runAsync(() -> {
                awaitReady(process, ready.get(process), timeout);
                progress.accept(String.format("%-12s ready in %.1f s  (pid %d, log %s)", process.name(),
                        Duration.between(started, Instant.now()).toMillis() / 1000.0, process.pid(),
                        options.home().toAbsolutePath().relativize(process.logFile())));
            }));
        }
        try {
            CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private void awaitReady(ManagedProcess process, BooleanSupplier ready, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new StartupFailure(process.name() + " exited with code " + process.exitCode()
                        + " while starting. Last lines of " + process.logFile() + ":\n  "
                        + String.join("\n  ", process.logTail(40)));
            }
            if (ready.getAsBoolean()) {
                return;
            }
            sleep(250);
        }
        throw new StartupFailure(process.name() + " was not ready within " + timeout.toSeconds() + " s. Last lines of "
                + process.logFile() + ":\n  " + String.join("\n  ", process.logTail(40)));
    }

    private boolean kafkaReady() {
        try (Admin admin = admin()) {
            return !admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    private boolean postgresReady() {
        try (var c = DriverManager.getConnection(options.jdbcUrl(), RuntimeOptions.DB_USER, RuntimeOptions.DB_PASSWORD)) {
            return c.isValid(2);
        } catch (Exception e) {
            return false;
        }
    }

    private boolean healthy(int port) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000));
    }

    private void checkBuilt() {
        List<String> missing = new ArrayList<>();
        for (String module : List.of("dev-runtime", "ingest-service", "orchestrator-service", "agent-worker", "status-service")) {
            if (!Files.isRegularFile(jar(module))) {
                missing.add(jar(module).toString());
            }
        }
        if (!missing.isEmpty()) {
            throw new StartupFailure("jobpipe is not built (missing " + missing + "); run: mvn -B -DskipTests package");
        }
    }

    /** The pipeline file, read before anything starts: a typo in it is reported at once, not after a minute. */
    private PipelineCatalog catalog() {
        try {
            return PipelineCatalogLoader.load(options.pipelinesFile());
        } catch (IllegalArgumentException e) {
            throw new StartupFailure(e.getMessage());
        }
    }

    private void checkPortsFree() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("Kafka", options.kafkaPort());
        ports.put("Kafka controller", options.kafkaControllerPort());
        ports.put("PostgreSQL", options.postgresPort());
        List<Integer> ingestPorts = options.ingestPorts();
        for (int i = 0; i < ingestPorts.size(); i++) {
            ports.put(ingestName(i), ingestPorts.get(i));
        }
        ports.put("status", options.statusPort());
        ports.put("orchestrator", options.orchestratorPort());
        ports.put("worker", options.workerPort());
        List<String> busy = ports.entrySet().stream().filter(e -> FreePorts.inUse(e.getValue()))
                .map(e -> e.getKey() + " port " + e.getValue()).toList();
        if (!busy.isEmpty()) {
            throw new StartupFailure("already in use: " + busy + ". Is another jobpipe running? Stop it, or choose other ports (./jobpipe up --help).");
        }
    }

    /** {@code ingest}, then {@code ingest-2}, {@code ingest-3}… for the replicas on {@code extraIngestPorts}. */
    private static String ingestName(int replica) {
        return replica == 0 ? "ingest" : "ingest-" + (replica + 1);
    }

    private Path jar(String module) {
        return options.home().toAbsolutePath().resolve(module).resolve("target").resolve(module + ".jar");
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    }

    /** The folder whose jars {@code up} puts on the worker's classpath: users' own {@code java:} agents. */
    public static Path agentsDir(Path dataDir) {
        return dataDir.toAbsolutePath().resolve("agents");
    }

    /**
     * Where {@code up} keeps the pid of child {@code name} ({@code kafka}, {@code postgres} — the JVM that runs
     * the PostgreSQL server —, {@code ingest} (and {@code ingest-2}… for more replicas), {@code orchestrator},
     * {@code worker}, {@code status}) while it runs.
     */
    public static Path pidFile(Path dataDir, String name) {
        return dataDir.toAbsolutePath().resolve("pids").resolve(name + ".pid");
    }

    /**
     * From now on, restarts every child that dies without being asked to (see {@link ChildSupervisor}) and
     * reports each step to {@code report}. {@link #close()} stops the supervision before it stops the children.
     */
    public synchronized ChildSupervisor superviseRestarts(RestartBackoff backoff, Consumer<String> report) {
        if (supervisor == null) {
            supervisor = new ChildSupervisor(readiness, backoff, Duration.ofMillis(500), report);
        }
        return supervisor;
    }

    public List<ManagedProcess> services() {
        return List.copyOf(services);
    }

    /** Every child: the broker, PostgreSQL, then the services. */
    public List<ManagedProcess> children() {
        List<ManagedProcess> all = new ArrayList<>(infrastructure);
        all.addAll(services);
        return List.copyOf(all);
    }

    /** Stops services (ingest first, so nothing new comes in), then PostgreSQL and Kafka. Idempotent. */
    @Override
    public void close() {
        ChildSupervisor watching = supervisor;
        if (watching != null) {
            watching.close();
        }
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (ManagedProcess service : services) {
            stops.add(CompletableFuture.runAsync(() -> service.stop(stopGrace(service, Duration.ofSeconds(20)))));
        }
        CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).join();
        stops.clear();
        for (ManagedProcess process : infrastructure) {
            stops.add(CompletableFuture.runAsync(() -> process.stop(stopGrace(process, Duration.ofSeconds(30)))));
        }
        CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).join();
        archives.forEach((process, archive) -> archive.keep(process.exitCode()));
    }

    /** A JVM that records its class data archive writes it while it exits: give it time, or the recording is lost. */
    private Duration stopGrace(ManagedProcess process, Duration grace) {
        ClassDataArchive archive = archives.get(process);
        return archive != null && archive.isRecording() ? grace.plusSeconds(60) : grace;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupFailure("interrupted while starting");
        }
    }

    /** Startup failed; the message says why and shows the failing child's log. */
    public static final class StartupFailure extends RuntimeException {
        public StartupFailure(String message) {
            super(message);
        }
    }
}
