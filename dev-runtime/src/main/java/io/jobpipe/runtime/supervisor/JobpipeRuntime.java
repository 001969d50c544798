package io.jobpipe.runtime.supervisor;

import io.jobpipe.core.kafka.TopicProvisioner;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.core.pipeline.PipelineCatalog;
import io.jobpipe.core.pipeline.PipelineCatalogLoader;
import io.jobpipe.runtime.infra.FreePorts;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.io.File;
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
import java.util.Arrays;
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

    private final RuntimeOptions options;
    private final Consumer<String> progress;
    private final List<ManagedProcess> infrastructure = new ArrayList<>();
    private final List<ManagedProcess> services = new ArrayList<>();
    private final Map<ManagedProcess, BooleanSupplier> readiness = new LinkedHashMap<>();
    private volatile ChildSupervisor supervisor;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private JobpipeRuntime(RuntimeOptions options, Consumer<String> progress) {
        this.options = options;
        this.progress = progress;
    }

    /** Starts everything and returns once every service answers its health check; fails loudly otherwise. */
    public static JobpipeRuntime start(RuntimeOptions options, Consumer<String> progress) {
        JobpipeRuntime runtime = new JobpipeRuntime(options, progress);
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

        PipelineCatalog catalog = PipelineCatalogLoader.load(options.pipelinesFile());
        try (Admin admin = admin()) {
            List<String> created = new TopicProvisioner(admin, options.partitions(), (short) 1)
                    .ensure(Topics.DEFAULT, catalog.allStageNames());
            progress.accept(created.isEmpty() ? "topics       ready (all existed)" : "topics       created " + created.size());
        }

        Map<String, String> common = new LinkedHashMap<>();
        common.put("KAFKA_BOOTSTRAP_SERVERS", options.bootstrapServers());
        common.put("JOBPIPE_TOPICS_PARTITIONS", String.valueOf(options.partitions()));
        common.put("JOBPIPE_PIPELINES_FILE", options.pipelinesFile() == null ? "" : options.pipelinesFile());
        Map<ManagedProcess, BooleanSupplier> health = new LinkedHashMap<>();
        service("ingest", "ingest-service", "io.jobpipe.ingest.IngestApplication", options.ingestPort(), Map.of(
                "MICRONAUT_ENVIRONMENTS", "dev",
                "JOBPIPE_STATUS_URL", options.statusUrl(),
                "JOBPIPE_DB_URL", options.jdbcUrl(),
                "JOBPIPE_DB_USER", RuntimeOptions.DB_USER,
                "JOBPIPE_DB_PASSWORD", RuntimeOptions.DB_PASSWORD), common, health);
        service("orchestrator", "orchestrator-service", "io.jobpipe.orchestrator.OrchestratorApplication",
                options.orchestratorPort(), Map.of(
                        "JOBPIPE_STATE_DIR", data.resolve("orchestrator-state").toString()), common, health);
        // The dev profile (agent-worker's application-dev.yml) lets outbound calls reach the examples on loopback.
        service("worker", "agent-worker", "io.jobpipe.worker.WorkerApplication", options.workerPort(), Map.of(
                "MICRONAUT_ENVIRONMENTS", "dev",
                "JOBPIPE_WORKSPACE", data.resolve("workspace").toString()), common, health);
        // The dev profile (status-service's application-dev.yml) holds the dev ops tokens ./jobpipe dlq and cancel use.
        service("status", "status-service", "io.jobpipe.status.StatusApplication", options.statusPort(), Map.of(
                "MICRONAUT_ENVIRONMENTS", "dev",
                "JOBPIPE_DB_URL", options.jdbcUrl(),
                "JOBPIPE_DB_USER", RuntimeOptions.DB_USER,
                "JOBPIPE_DB_PASSWORD", RuntimeOptions.DB_PASSWORD), common, health);
        readiness.putAll(health);
        startAndAwait(services, health, SERVICE_TIMEOUT);
        progress.accept(String.format("jobpipe      up in %.1f s", Duration.between(begin, Instant.now()).toMillis() / 1000.0));
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

    private ManagedProcess java(String name, String module, String mainClass, List<String> args,
                                Map<String, String> env, String javaOpts) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        if (javaOpts != null && !javaOpts.isBlank()) {
            command.addAll(Arrays.asList(javaOpts.trim().split("\\s+")));
        }
        command.add("-Djobpipe.process=" + name);
        command.add("-cp");
        command.add(jar(module) + File.pathSeparator + jar(module).resolveSibling("lib") + File.separator + "*");
        command.add(mainClass);
        command.addAll(args);
        Path data = options.dataDir().toAbsolutePath();
        return new ManagedProcess(name, command, env, data.resolve("logs").resolve(name + ".log"),
                pidFile(data, name));
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

    private void checkPortsFree() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("Kafka", options.kafkaPort());
        ports.put("Kafka controller", options.kafkaControllerPort());
        ports.put("PostgreSQL", options.postgresPort());
        ports.put("ingest", options.ingestPort());
        ports.put("status", options.statusPort());
        ports.put("orchestrator", options.orchestratorPort());
        ports.put("worker", options.workerPort());
        List<String> busy = ports.entrySet().stream().filter(e -> FreePorts.inUse(e.getValue()))
                .map(e -> e.getKey() + " port " + e.getValue()).toList();
        if (!busy.isEmpty()) {
            throw new StartupFailure("already in use: " + busy + ". Is another jobpipe running? Stop it, or choose other ports (./jobpipe up --help).");
        }
    }

    private Path jar(String module) {
        return options.home().toAbsolutePath().resolve(module).resolve("target").resolve(module + ".jar");
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    }

    /**
     * Where {@code up} keeps the pid of child {@code name} ({@code kafka}, {@code postgres} — the JVM that runs
     * the PostgreSQL server —, {@code ingest}, {@code orchestrator}, {@code worker}, {@code status}) while it runs.
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
            stops.add(CompletableFuture.runAsync(() -> service.stop(Duration.ofSeconds(20))));
        }
        CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).join();
        stops.clear();
        for (ManagedProcess process : infrastructure) {
            stops.add(CompletableFuture.runAsync(() -> process.stop(Duration.ofSeconds(30))));
        }
        CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).join();
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
