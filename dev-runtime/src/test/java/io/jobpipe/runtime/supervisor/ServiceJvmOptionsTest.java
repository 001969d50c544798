package io.jobpipe.runtime.supervisor;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceJvmOptionsTest {
    @Test
    void shouldPutTheDefaultsBeforeTheUsersOptionsSoTheUsersWin() {
        assertThat(ServiceJvmOptions.of("ingest-service", "  -XX:+UseSerialGC   -XX:MetaspaceSize=64m "))
                .containsExactly("-XX:MetaspaceSize=128m", "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC",
                        "-XX:MetaspaceSize=64m");
    }

    @Test
    void shouldStartStatusWithALargerHeap() {
        assertThat(ServiceJvmOptions.of("status-service", "-XX:+UseSerialGC"))
                .containsExactly("-XX:MetaspaceSize=128m", "-Xms256m", "-Xmx512m", "-XX:+UseSerialGC");
    }

    @Test
    void shouldLeaveTheHeapToTheUserWhenTheyGiveAnyHeapOption() {
        // -Xmx128m after a default -Xms256m would not start at all: the defaults give way to any heap option.
        assertThat(ServiceJvmOptions.of("status-service", "-Xmx128m"))
                .containsExactly("-XX:MetaspaceSize=128m", "-Xmx128m");
        assertThat(ServiceJvmOptions.of("agent-worker", "-XX:MaxRAMPercentage=25"))
                .containsExactly("-XX:MetaspaceSize=128m", "-XX:MaxRAMPercentage=25");
        assertThat(ServiceJvmOptions.of("status-service", "-Xms1g -Xmx2g"))
                .containsExactly("-XX:MetaspaceSize=128m", "-Xms1g", "-Xmx2g");
    }

    @Test
    void shouldBeTheDefaultsAloneWithoutUserOptions() {
        assertThat(ServiceJvmOptions.of("agent-worker", null))
                .containsExactly("-XX:MetaspaceSize=128m", "-Xms64m", "-Xmx512m");
        assertThat(ServiceJvmOptions.of("status-service", " "))
                .containsExactly("-XX:MetaspaceSize=128m", "-Xms256m", "-Xmx512m");
    }
}
