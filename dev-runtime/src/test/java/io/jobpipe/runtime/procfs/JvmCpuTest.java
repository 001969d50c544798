package io.jobpipe.runtime.procfs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Against this machine's real {@code /proc} and this JVM (the build runs HotSpot on Linux). */
class JvmCpuTest {
    @Test
    void shouldReadThisJvmsCpuWithItsCompilersShareInsideIt() {
        JvmCpu now = JvmCpu.of(ProcessHandle.current().pid()).orElseThrow();

        assertThat(now.total()).isPositive();
        assertThat(now.jit()).isPositive().isLessThanOrEqualTo(now.total());
    }

    @Test
    void shouldNeverGiveANegativeCompilerShareWhenACompilerThreadEndedBetweenTwoReadings() {
        JvmCpu before = new JvmCpu(100, 40);
        JvmCpu after = new JvmCpu(160, 25);

        assertThat(after.minus(before)).isEqualTo(new JvmCpu(60, 0));
    }
}
