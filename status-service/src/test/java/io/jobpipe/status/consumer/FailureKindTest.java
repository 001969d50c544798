package io.jobpipe.status.consumer;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

class FailureKindTest {

    @Test
    void shouldRetryWhenTheDatabaseIsUnreachable() {
        assertThat(FailureKind.of(new RuntimeException(new SQLTransientConnectionException("pool timeout"))))
                .isEqualTo(FailureKind.TRANSIENT);
        assertThat(FailureKind.of(new RuntimeException(new SQLException("connection refused", "08001"))))
                .isEqualTo(FailureKind.TRANSIENT);
        assertThat(FailureKind.of(new RuntimeException(new SQLException("deadlock detected", "40P01"))))
                .isEqualTo(FailureKind.TRANSIENT);
    }

    @Test
    void shouldIsolateEventsTheDatabaseRejects() {
        assertThat(FailureKind.of(new RuntimeException(new SQLException("unsupported Unicode escape", "22P05"))))
                .isEqualTo(FailureKind.POISON);
        assertThat(FailureKind.of(new RuntimeException(new SQLException("not-null violation", "23502"))))
                .isEqualTo(FailureKind.POISON);
    }

    @Test
    void shouldIsolateEventsTheRulesCannotApply() {
        assertThat(FailureKind.of(new NullPointerException("stage"))).isEqualTo(FailureKind.POISON);
        assertThat(FailureKind.of(new IllegalStateException("unknown"))).isEqualTo(FailureKind.TRANSIENT);
    }
}
