package io.jobpipe.runtime.supervisor;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceJvmOptionsTest {
    @Test
    void shouldPutTheDefaultsBeforeTheUsersOptionsSoTheUsersWin() {
        assertThat(ServiceJvmOptions.of("  -Xmx512m   -XX:MetaspaceSize=64m "))
                .containsExactly("-XX:MetaspaceSize=128m", "-Xmx512m", "-XX:MetaspaceSize=64m");
    }

    @Test
    void shouldBeTheDefaultsAloneWithoutUserOptions() {
        assertThat(ServiceJvmOptions.of(null)).containsExactlyElementsOf(ServiceJvmOptions.DEFAULTS);
        assertThat(ServiceJvmOptions.of(" ")).containsExactlyElementsOf(ServiceJvmOptions.DEFAULTS);
    }
}
