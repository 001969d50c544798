package io.jobpipe.runtime.supervisor;

import java.nio.file.Path;

/**
 * Where and how {@code ./jobpipe up} runs everything: {@code UpCommand} fills it from its options (the documented
 * ports by default); tests use random ports.
 *
 * @param home      the repository root (services run from {@code <home>/<module>/target/})
 * @param dataDir   Kafka logs, PostgreSQL data, orchestrator state, worker workspace and logs
 * @param javaOpts  extra JVM options for every service (e.g. {@code -Xmx512m})
 */
public record RuntimeOptions(Path home, Path dataDir, int kafkaPort, int kafkaControllerPort, int postgresPort,
                             int ingestPort, int statusPort, int orchestratorPort, int workerPort,
                             int partitions, String pipelinesFile, String javaOpts) {


    public String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/" + DATABASE;
    }

    public String ingestUrl() {
        return "http://localhost:" + ingestPort;
    }

    public String statusUrl() {
        return "http://localhost:" + statusPort;
    }

    public static final String DATABASE = "jobpipe";
    public static final String DB_USER = "jobpipe";
    public static final String DB_PASSWORD = "jobpipe";
}
