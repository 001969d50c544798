package io.jobpipe.runtime.supervisor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DevCallbackSecretTest {

    @Test
    void shouldMakeASecretOncePerDataDirectoryAndKeepItAcrossRestarts(@TempDir Path dataDir) throws Exception {
        String first = DevCallbackSecret.of(dataDir);

        assertThat(first).hasSizeGreaterThanOrEqualTo(64);
        assertThat(DevCallbackSecret.of(dataDir)).isEqualTo(first);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(DevCallbackSecret.FILE))))
                .isEqualTo("rw-------");
    }

    @Test
    void shouldGiveEveryDataDirectoryItsOwnSecret(@TempDir Path one, @TempDir Path two) {
        assertThat(DevCallbackSecret.of(one)).isNotEqualTo(DevCallbackSecret.of(two));
    }

    @Test
    void shouldRefuseAFileThatHoldsNoUsableSecret(@TempDir Path dataDir) throws Exception {
        Files.writeString(dataDir.resolve(DevCallbackSecret.FILE), "short\n");

        assertThatThrownBy(() -> DevCallbackSecret.of(dataDir)).hasMessageContaining("delete it");
    }
}
