package io.jobpipe.support.logging;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogSafeTest {

    @Test
    void shouldKeepCallerTextOnOneLine() {
        assertThat(LogSafe.clean("/webhooks/a\nstatus=200 b")).isEqualTo("/webhooks/a?status=200?b");
    }

    @Test
    void shouldCutVeryLongText() {
        assertThat(LogSafe.clean("x".repeat(1000))).hasSize(LogSafe.MAX_LENGTH + 1).endsWith("…");
    }
}
