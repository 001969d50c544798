package io.jobpipe.runtime.procfs;

import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Against this machine's real {@code /proc} (the build runs on Linux). */
class ProcessTableTest {

    @Test
    void shouldParseAStatLineWhoseCommandNameHasSpacesAndParentheses() {
        String stat = "4242 (Web (Content) 1) S 17 4242 4242 0 -1 4194560 100 0 0 0 "
                + "250 50 7 3 20 0 30 0 98765 1000000 200 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";

        ProcessTable.Entry entry = ProcessTable.parse(stat);

        assertThat(entry.pid()).isEqualTo(4242);
        assertThat(entry.parentPid()).isEqualTo(17);
        assertThat(entry.ownTicks()).isEqualTo(300);
        assertThat(entry.reapedChildrenTicks()).isEqualTo(10);
        assertThat(entry.startTicks()).isEqualTo(98765);
    }

    @Test
    void shouldCountTheCpuOfAProcessTreeIncludingChildrenThatAlreadyEnded() throws Exception {
        // A shell that first runs a busy child to its end (reaped: cutime), then a busy child that is still alive.
        Process shell = new ProcessBuilder("sh", "-c",
                "timeout 0.5 sh -c 'while :; do :; done'; sh -c 'while :; do :; done' & wait").start();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                ProcessTable table = ProcessTable.snapshot();
                return table.treeSize(shell.pid()) >= 2 && ClockTicks.toMillis(table.treeTicks(shell.pid()).orElse(0L)) >= 700;
            });
            ProcessTable table = ProcessTable.snapshot();
            long own = table.get(shell.pid()).orElseThrow().ownTicks();
            assertThat(table.treeTicks(shell.pid()).orElseThrow()).isGreaterThan(own);
            assertThat(table.get(shell.pid()).orElseThrow().reapedChildrenTicks()).isPositive();
        } finally {
            shell.descendants().forEach(ProcessHandle::destroyForcibly);
            shell.destroyForcibly().waitFor();
        }
        assertThat(ProcessTable.snapshot().treeTicks(shell.pid())).isEmpty();
    }

    @Test
    void shouldFindTheProcessListeningOnAPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            assertThat(ListeningPorts.pidListeningOn(socket.getLocalPort())).hasValue(ProcessHandle.current().pid());
        }
        assertThat(CommandLines.of(ProcessHandle.current().pid())).contains("java");
        assertThat(ClockTicks.perSecond()).isIn(List.of(100L, 250L, 1000L));
    }
}
