package io.jobpipe.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 000, {@code examples/patch-dispatch}: patches dispatched by webhook, every missing field named at once, the
 * mutations written only inside the job's sandbox, and the success and failure rates read from the jobs export. The
 * incident: intermittent 500s nobody could explain, fields checked one at a time, files written wherever a path said.
 */
class ExamplePatchDispatchTest {
    @RegisterExtension
    static final ExampleSystem example = ExampleSystem.of("patch-dispatch");

    private static String patch(String id, String path, String contents) {
        return """
                {"id":"%s","role":"dev","target_file":"%s","patch":{"mutations":[{"path":"%s","contents":"%s"}]}}"""
                .formatted(id, path, path, contents);
    }

    @Test
    void shouldApplyValidPatchesInTheSandboxNameEveryMissingFieldRefuseEscapesAndCountTheRates() throws Exception {
        SystemHttp http = example.http();
        List<String> valid = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            valid.add(http.postDemo("patch", patch("p-" + i, "src/file-" + i + ".txt", "version " + i)));
        }
        String incomplete = http.postDemo("patch", "{\"id\":\"p-5\"}");
        String escaping = http.postDemo("patch", patch("p-6", "../../../etc/passwd", "root::0:0"));

        for (int i = 0; i < valid.size(); i++) {
            http.awaitState(valid.get(i), "COMPLETED", Duration.ofSeconds(60));
            Path written = example.workspace().resolve("jobs").resolve(valid.get(i)).resolve("patches")
                    .resolve("src").resolve("file-" + (i + 1) + ".txt");
            assertThat(Files.readString(written)).isEqualTo("version " + (i + 1));
        }
        JsonNode missing = http.awaitState(incomplete, "FAILED", Duration.ofSeconds(60));
        assertThat(missing.get("error").asText()).contains("ValidationFailed", "role", "target_file", "patch.mutations");
        assertThat(missing.get("stages").get(0).get("attempts").asInt()).isEqualTo(1);
        JsonNode escaped = http.awaitState(escaping, "FAILED", Duration.ofSeconds(60));
        assertThat(escaped.get("error").asText()).contains("SandboxViolation");
        assertThat(escaped.get("stages").get(1).get("attempts").asInt()).isEqualTo(1);
        assertThat(example.workspace().resolve("jobs").resolve(escaping)).as("nothing written for it").doesNotExist();

        List<String> rows = example.http().read("/exports/jobs.csv?pipeline=patch-dispatch").body().lines().skip(1).toList();
        Map<String, Long> byState = rows.stream().map(row -> row.split(",")[5])
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(byState).containsExactlyInAnyOrderEntriesOf(Map.of("COMPLETED", 4L, "FAILED", 2L));
    }
}
