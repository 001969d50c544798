package io.jobpipe.runtime.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WorkerCommandTest {

    @Test
    void shouldRefuseToStartAWorkerWithoutItsStages() {
        CliRun run = CliRun.of("worker", "--port", "18084");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required option: '--stages=<stages>'");
    }

    @Test
    void shouldOfferUpAWorkerStagesOption() {
        CliRun run = CliRun.of("up", "--help");

        assertThat(run.out()).contains("--worker-stages", "serve the others with ./jobpipe");
    }
}
