package io.jobpipe.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No Docker engine runs on our machines, so the compose file is checked statically: every service is there,
 * its Dockerfile copies what the build produces, and every variable a service reads without a default is set.
 */
class DockerComposeTest {
    private static final Path ROOT = EndToEndTest.repositoryRoot();
    private static final Map<String, String> MODULES = Map.of(
            "ingest", "ingest-service", "orchestrator", "orchestrator-service",
            "worker", "agent-worker", "status", "status-service");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(:[^}]*)?}");

    private final JsonNode compose = read();

    private static JsonNode read() {
        // SnakeYAML resolves the '<<: *anchor' merge keys the file uses, as docker compose does; Jackson's YAML does not.
        try (var reader = Files.newBufferedReader(ROOT.resolve("docker-compose.yml"))) {
            Object tree = new org.yaml.snakeyaml.Yaml().load(reader);
            return new ObjectMapper().valueToTree(tree);
        } catch (Exception e) {
            throw new AssertionError("docker-compose.yml does not parse", e);
        }
    }

    @Test
    void shouldRunAThreeBrokerKraftClusterPostgresAndTheFourServices() {
        JsonNode services = compose.path("services");
        assertThat(services.fieldNames()).toIterable()
                .contains("kafka-1", "kafka-2", "kafka-3", "postgres", "ingest", "orchestrator", "worker", "status");
        for (String broker : List.of("kafka-1", "kafka-2", "kafka-3")) {
            assertThat(services.path(broker).path("image").asText()).startsWith("apache/kafka:");
            assertThat(services.path(broker).path("environment").path("KAFKA_PROCESS_ROLES").asText()).contains("controller");
            assertThat(services.path(broker).path("environment").path("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR").asText()).isEqualTo("2");
        }
        assertThat(services.path("postgres").path("image").asText()).startsWith("postgres:");
    }

    @Test
    void shouldBuildEachServiceFromTheJarTheBuildProduces() throws Exception {
        for (Map.Entry<String, String> entry : MODULES.entrySet()) {
            JsonNode build = compose.path("services").path(entry.getKey()).path("build");
            Path dockerfile = ROOT.resolve(build.path("dockerfile").asText());
            assertThat(dockerfile).as(entry.getKey() + " Dockerfile").exists();
            String text = Files.readString(dockerfile);
            assertThat(text).contains("COPY " + entry.getValue() + "/target/" + entry.getValue() + ".jar")
                    .contains("COPY " + entry.getValue() + "/target/lib/");
            String pom = Files.readString(ROOT.resolve(entry.getValue()).resolve("pom.xml"));
            assertThat(pom).contains("<finalName>${project.artifactId}</finalName>");
        }
    }

    @Test
    void shouldSetEveryEnvironmentVariableEachServiceReadsWithoutADefault() throws Exception {
        for (Map.Entry<String, String> entry : MODULES.entrySet()) {
            JsonNode environment = compose.path("services").path(entry.getKey()).path("environment");
            assertThat(environment.has("KAFKA_BOOTSTRAP_SERVERS")).as(entry.getKey()).isTrue();
            assertThat(environment.path("KAFKA_BOOTSTRAP_SERVERS").asText()).contains("kafka-1:9092", "kafka-2:9092", "kafka-3:9092");
            assertThat(environment.path("JOBPIPE_TOPICS_REPLICATION_FACTOR").asText()).isEqualTo("3");
            List<String> required = requiredVariables(entry.getValue());
            for (String variable : required) {
                assertThat(environment.has(variable)).as(entry.getKey() + " needs " + variable).isTrue();
            }
        }
        JsonNode status = compose.path("services").path("status").path("environment");
        assertThat(status.path("JOBPIPE_DB_URL").asText()).startsWith("jdbc:postgresql://postgres:5432/");
        assertThat(status.has("JOBPIPE_DB_USER")).isTrue();
        assertThat(status.has("JOBPIPE_DB_PASSWORD")).isTrue();
    }

    @Test
    void shouldRunIngestWithoutTheDevProfileAndWithNoUnsignedConnection() {
        JsonNode ingest = compose.path("services").path("ingest").path("environment");

        assertThat(ingest.path("MICRONAUT_ENVIRONMENTS").asText("")).doesNotContain("dev");
        ingest.fieldNames().forEachRemaining(name -> {
            if (name.startsWith("JOBPIPE_INGEST_CONNECTIONS_") && name.endsWith("_SCHEME")) {
                assertThat(ingest.path(name).asText()).as(name).isNotEqualTo("none");
                String secrets = name.substring(0, name.length() - "_SCHEME".length()) + "_SECRETS";
                assertThat(ingest.path(secrets).asText()).as(secrets).isNotBlank();
            }
        });
        assertThat(ingest.path("JOBPIPE_INGEST_CONNECTIONS_GITHUB_SCHEME").asText()).isEqualTo("github");
    }

    /** Variables a module's application.yml reads with no default value. */
    private static List<String> requiredVariables(String module) throws Exception {
        Path yml = ROOT.resolve(module).resolve("src/main/resources/application.yml");
        assertThat(yml).exists();
        List<String> required = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(Files.readString(yml));
        while (m.find()) {
            if (m.group(2) == null) {
                required.add(m.group(1));
            }
        }
        return required;
    }
}
