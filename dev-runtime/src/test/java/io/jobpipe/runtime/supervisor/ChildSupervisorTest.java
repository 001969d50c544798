package io.jobpipe.runtime.supervisor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Real child processes, killed for real: what {@code ./jobpipe up} does when a child dies. */
class ChildSupervisorTest {
    private static final RestartBackoff FAST = new RestartBackoff(Duration.ofMillis(200), Duration.ofMillis(800),
            Duration.ofMinutes(1));

    @TempDir
    Path dir;

    @Test
    void shouldRestartAChildKilledWithSigkillAndLeaveTheOthersRunning() throws Exception {
        ManagedProcess victim = sleeper("victim");
        ManagedProcess bystander = sleeper("bystander");
        victim.start();
        bystander.start();
        long firstPid = victim.pid();
        long bystanderPid = bystander.pid();
        List<String> lines = new CopyOnWriteArrayList<>();
        BooleanSupplier ready = victim::isAlive;
        try (ChildSupervisor supervisor = new ChildSupervisor(Map.of(victim, ready, bystander, bystander::isAlive),
                FAST, Duration.ofMillis(100), lines::add)) {
            ProcessHandle.of(firstPid).orElseThrow().destroyForcibly();

            await().atMost(Duration.ofSeconds(15)).until(() -> victim.isAlive() && victim.pid() != firstPid
                    && lines.stream().anyMatch(l -> l.startsWith("victim ready again")));
            assertThat(supervisor.restarts(victim)).isEqualTo(1);
            assertThat(lines.get(0)).startsWith("victim exited unexpectedly (exit code 137, killed by signal 9)")
                    .contains("restarting it in 0.2 s (crash 1 in a row)");
            assertThat(lines).anyMatch(l -> l.equals("victim restarted (pid " + victim.pid() + ", restart 1)"));
            assertThat(Files.readString(JobpipeRuntime.pidFile(dir, "victim")).trim()).isEqualTo(Long.toString(victim.pid()));
            assertThat(bystander.pid()).isEqualTo(bystanderPid);
            assertThat(bystander.isAlive()).isTrue();
        } finally {
            victim.stop(Duration.ofSeconds(5));
            bystander.stop(Duration.ofSeconds(5));
        }
        assertThat(JobpipeRuntime.pidFile(dir, "victim")).doesNotExist();
    }

    @Test
    void shouldBackOffLongerEachTimeAChildKeepsCrashing() {
        ManagedProcess crasher = new ManagedProcess("crasher", List.of("sh", "-c", "echo boom; exit 3"), Map.of(),
                dir.resolve("logs/crasher.log"), JobpipeRuntime.pidFile(dir, "crasher"));
        crasher.start();
        List<String> lines = new CopyOnWriteArrayList<>();
        try (ChildSupervisor supervisor = new ChildSupervisor(Map.of(crasher, () -> false), FAST, Duration.ofMillis(50),
                lines::add)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> supervisor.restarts(crasher) >= 4);
            List<String> crashes = lines.stream().filter(l -> l.startsWith("crasher exited")).toList();
            assertThat(crashes.get(0)).contains("exit code 3").contains("in 0.2 s (crash 1 in a row)");
            assertThat(crashes.get(1)).contains("in 0.4 s (crash 2 in a row)");
            assertThat(crashes.get(2)).contains("in 0.8 s (crash 3 in a row)");
            assertThat(crashes.get(3)).contains("in 0.8 s (crash 4 in a row)");
            assertThat(lines).anyMatch(l -> l.contains("boom"));
        } finally {
            crasher.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void shouldNotRestartAChildThatWasAskedToStop() throws Exception {
        ManagedProcess child = sleeper("stopped");
        child.start();
        List<String> lines = new CopyOnWriteArrayList<>();
        try (ChildSupervisor supervisor = new ChildSupervisor(Map.of(child, child::isAlive), FAST, Duration.ofMillis(50),
                lines::add)) {
            child.stop(Duration.ofSeconds(5));
            Thread.sleep(600);
            assertThat(child.isAlive()).isFalse();
            assertThat(supervisor.restarts(child)).isZero();
            assertThat(lines).isEmpty();
        }
    }

    private ManagedProcess sleeper(String name) {
        return new ManagedProcess(name, List.of("sleep", "120"), Map.of(), dir.resolve("logs").resolve(name + ".log"),
                JobpipeRuntime.pidFile(dir, name));
    }
}
