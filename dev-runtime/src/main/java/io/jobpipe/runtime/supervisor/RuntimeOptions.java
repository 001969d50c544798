package io.jobpipe.runtime.supervisor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where and how {@code ./jobpipe up} runs everything: {@code UpCommand} fills it from its options (the documented
 * ports by default); tests use random ports.
 *
 * @param home      the repository root (services run from {@code <home>/<module>/target/})
 * @param dataDir   Kafka logs, PostgreSQL data, orchestrator state, worker workspace and logs
 * @param javaOpts  extra JVM options for every service (e.g. {@code -Xmx512m})
 * @param serviceEnvironment extra environment variables for every service (e.g. {@code OTEL_EXPORTER_OTLP_ENDPOINT}),
 *                  on top of what the launcher's own environment passes on; the runtime's own settings (ports,
 *                  Kafka, database) win over them
 * @param extraIngestPorts ports of more ingest replicas beside the one on {@code ingestPort} (none by default): each
 *                  is its own JVM against the same broker and database, as replicas behind a load balancer are
 *                  (seed 004: any replica must take any webhook)
 */
public record RuntimeOptions(Path home, Path dataDir, int kafkaPort, int kafkaControllerPort, int postgresPort,
                             int ingestPort, int statusPort, int orchestratorPort, int workerPort,
                             int partitions, String pipelinesFile, String javaOpts,
                             Map<String, String> serviceEnvironment, List<Integer> extraIngestPorts) {

    public RuntimeOptions {
        serviceEnvironment = serviceEnvironment == null ? Map.of() : Map.copyOf(serviceEnvironment);
        extraIngestPorts = extraIngestPorts == null ? List.of() : List.copyOf(extraIngestPorts);
    }

    /** Options with no extra environment for the services. */
    public RuntimeOptions(Path home, Path dataDir, int kafkaPort, int kafkaControllerPort, int postgresPort,
                          int ingestPort, int statusPort, int orchestratorPort, int workerPort,
                          int partitions, String pipelinesFile, String javaOpts) {
        this(home, dataDir, kafkaPort, kafkaControllerPort, postgresPort, ingestPort, statusPort, orchestratorPort,
                workerPort, partitions, pipelinesFile, javaOpts, Map.of(), List.of());
    }

    /** These options with {@code environment} added to every service's. */
    public RuntimeOptions withServiceEnvironment(Map<String, String> environment) {
        Map<String, String> merged = new LinkedHashMap<>(serviceEnvironment);
        merged.putAll(environment);
        return new RuntimeOptions(home, dataDir, kafkaPort, kafkaControllerPort, postgresPort, ingestPort, statusPort,
                orchestratorPort, workerPort, partitions, pipelinesFile, javaOpts, merged, extraIngestPorts);
    }

    /** These options with more ingest replicas, one on each of {@code ports}. */
    public RuntimeOptions withExtraIngestPorts(List<Integer> ports) {
        return new RuntimeOptions(home, dataDir, kafkaPort, kafkaControllerPort, postgresPort, ingestPort, statusPort,
                orchestratorPort, workerPort, partitions, pipelinesFile, javaOpts, serviceEnvironment, ports);
    }

    /** Every ingest replica's port, the first ({@code ingestPort}) first. */
    public List<Integer> ingestPorts() {
        List<Integer> ports = new ArrayList<>(List.of(ingestPort));
        ports.addAll(extraIngestPorts);
        return List.copyOf(ports);
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/" + DATABASE;
    }

    public String ingestUrl() {
        return "http://localhost:" + ingestPort;
    }

    /** Ingest replica {@code replica}'s base URL: 0 is {@link #ingestUrl()}, 1 the first of {@code extraIngestPorts}. */
    public String ingestUrl(int replica) {
        return "http://localhost:" + ingestPorts().get(replica);
    }

    public String statusUrl() {
        return "http://localhost:" + statusPort;
    }

    public static final String DATABASE = "jobpipe";
    public static final String DB_USER = "jobpipe";
    public static final String DB_PASSWORD = "jobpipe";
}
