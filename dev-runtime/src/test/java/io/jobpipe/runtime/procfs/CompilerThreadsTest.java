package io.jobpipe.runtime.procfs;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Against this machine's real {@code /proc} and this JVM's own compiler threads (the build runs HotSpot on Linux). */
class CompilerThreadsTest {

    @Test
    void shouldCountOnlyTheJitCompilerThreadsOfAJvm() {
        String c2 = "901 (C2 CompilerThre) S 1 1 1 0 -1 1077936192 0 0 0 0 420 11 0 0 20 0 30 0 5 0 0";
        String c1 = "902 (C1 CompilerThre) S 1 1 1 0 -1 1077936192 0 0 0 0 30 2 0 0 20 0 30 0 5 0 0";
        String worker = "903 (agent-0) S 1 1 1 0 -1 1077936192 0 0 0 0 999 99 0 0 20 0 30 0 5 0 0";

        assertThat(CompilerThreads.compilerTicksOf(c2)).isEqualTo(431);
        assertThat(CompilerThreads.compilerTicksOf(c1)).isEqualTo(32);
        assertThat(CompilerThreads.compilerTicksOf(worker)).isZero();
    }

    @Test
    void shouldReadTheCompilerTicksOfThisJvmAndNothingForAProcessThatIsGone() throws Exception {
        long self = ProcessHandle.current().pid();
        // This JVM has compiled the test framework by now: its compiler threads have used some CPU.
        assertThat(CompilerThreads.ticks(self).orElseThrow()).isPositive();

        Process ended = new ProcessBuilder("true").start();
        assertThat(ended.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(CompilerThreads.ticks(ended.pid())).isEmpty();
    }
}
