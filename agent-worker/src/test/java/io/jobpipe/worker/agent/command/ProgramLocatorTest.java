package io.jobpipe.worker.agent.command;

import io.jobpipe.agent.AgentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProgramLocatorTest {
    @TempDir
    Path pipelines;

    private Path file(String relative, String permissions) throws IOException {
        Path file = pipelines.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    @Test
    void shouldResolveARelativeProgramAgainstThePipelineFolder() throws IOException {
        Path script = file("scripts/parse.sh", "rwxr-xr-x");
        ProgramLocator locator = new ProgramLocator(Optional.of(pipelines));

        assertThat(locator.locate("./scripts/parse.sh", "/usr/bin")).isEqualTo(script);
        assertThat(locator.locate("scripts/../scripts/parse.sh", "/usr/bin")).isEqualTo(script);
        assertThat(locator.locate(script.toString(), "/usr/bin")).isEqualTo(script);
    }

    @Test
    void shouldLookUpABareNameOnlyInTheAbsoluteEntriesOfThePath() throws IOException {
        Path tool = file("bin/tool", "rwxr-xr-x");
        ProgramLocator locator = new ProgramLocator(Optional.of(pipelines));

        assertThat(locator.locate("tool", "/no/such/dir:" + tool.getParent())).isEqualTo(tool);
        assertThatThrownBy(() -> locator.locate("tool", "bin:."))
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("no executable 'tool' in PATH bin:.");
    }

    @Test
    void shouldRefuseWhatIsNoExecutableFileNonRetryably() throws IOException {
        file("scripts/plain.txt", "rw-r--r--");
        ProgramLocator locator = new ProgramLocator(Optional.of(pipelines));

        assertThatThrownBy(() -> locator.locate("scripts/plain.txt", "/usr/bin"))
                .hasMessageContaining("is not executable (chmod +x it)")
                .satisfies(e -> {
                    assertThat(((AgentException) e).errorType()).isEqualTo(ProgramLocator.NOT_FOUND);
                    assertThat(((AgentException) e).retryable()).isFalse();
                });
        assertThatThrownBy(() -> locator.locate("scripts/missing.sh", "/usr/bin"))
                .hasMessageContaining("resolves to " + pipelines.resolve("scripts/missing.sh") + ", which does not exist"
                        + " (a relative program path is relative to the pipeline file's folder");
        assertThatThrownBy(() -> locator.locate("scripts", "/usr/bin")).hasMessageContaining("no executable 'scripts'");
    }

    @Test
    void shouldRefuseARelativeProgramWithoutAPipelineFile() {
        ProgramLocator locator = new ProgramLocator(Optional.empty());

        assertThat(locator.problem("./parse.sh")).hasValueSatisfying(p -> assertThat(p)
                .contains("no pipeline file is configured (jobpipe.pipelines.file); use an absolute path"));
        assertThat(locator.problem("/usr/bin/env")).isEmpty();
        assertThat(locator.problem("cat")).isEmpty();
        assertThat(locator.problem(" ")).hasValue("command: names no program");
    }
}
