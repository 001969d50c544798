package io.jobpipe.runtime.cli;

import io.jobpipe.core.kafka.Topics;
import io.jobpipe.runtime.bench.SystemParts;
import io.jobpipe.runtime.client.LoopbackTargets;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the running jobpipe is, for {@code bench} and {@code chaos}: the URLs and Kafka they load, and the ports
 * and data directory by which its processes are found (CPU per process, {@code kill -9}). Defaults are those of
 * {@code ./jobpipe up}; give the same ports as to {@code up} when it runs on others.
 */
final class SystemTargetOptions {
    @Option(names = "--ingest-url", defaultValue = "${env:JOBPIPE_INGEST_URL:-http://localhost:8080}",
            description = "ingest base URL (default: ${DEFAULT-VALUE})")
    String ingestUrl;

    @Option(names = "--status-url", defaultValue = "${env:JOBPIPE_STATUS_URL:-http://localhost:8081}",
            description = "status base URL (default: ${DEFAULT-VALUE})")
    String statusUrl;

    @Option(names = "--bootstrap-servers", defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
            description = "Kafka (default: ${DEFAULT-VALUE})")
    String bootstrapServers;

    @Option(names = "--topics-namespace", defaultValue = "${env:JOBPIPE_TOPICS_NAMESPACE:-}",
            description = "topic name prefix the system runs with (default: none)")
    String topicsNamespace;

    @Option(names = "--orchestrator-port", defaultValue = "8082", description = "to find the orchestrator's process (default: ${DEFAULT-VALUE})")
    int orchestratorPort;

    @Option(names = "--worker-port", defaultValue = "8083", description = "to find the worker's process (default: ${DEFAULT-VALUE})")
    int workerPort;

    @Option(names = "--postgres-port", defaultValue = "15432", description = "to find PostgreSQL's processes (default: ${DEFAULT-VALUE})")
    int postgresPort;

    @Option(names = "--data-dir", description = "the data directory of ./jobpipe up, whose pids/ are used when a port "
            + "does not find a process (default: <repo>/.jobpipe)")
    Path dataDir;

    void requireLoopback() {
        LoopbackTargets.requireLoopbackUrl("ingest URL", ingestUrl);
        LoopbackTargets.requireLoopbackUrl("status URL", statusUrl);
        LoopbackTargets.requireLoopbackBootstrap(bootstrapServers);
    }

    Topics topics() {
        return Topics.of(topicsNamespace == null ? "" : topicsNamespace);
    }

    Path dataDirOrDefault() {
        return dataDir != null ? dataDir.toAbsolutePath() : Home.path().resolve(".jobpipe");
    }

    /** The six parts and the ports they listen on. */
    List<SystemParts.Address> parts() {
        return SystemParts.addresses(kafkaPort(), postgresPort, port(ingestUrl), orchestratorPort, workerPort, port(statusUrl));
    }

    private int kafkaPort() {
        String first = bootstrapServers.split(",")[0].trim();
        return Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
    }

    private static int port(String url) {
        URI uri = URI.create(url);
        return uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    }
}
