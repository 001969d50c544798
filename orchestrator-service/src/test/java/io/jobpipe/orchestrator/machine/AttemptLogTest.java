package io.jobpipe.orchestrator.machine;

import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.StageResult;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.jobpipe.orchestrator.machine.JobStateMachineTest.FETCHED;
import static io.jobpipe.orchestrator.machine.JobStateMachineTest.ID;
import static io.jobpipe.orchestrator.machine.JobStateMachineTest.JOB;
import static io.jobpipe.orchestrator.machine.JobStateMachineTest.NO_JITTER;
import static io.jobpipe.orchestrator.machine.JobStateMachineTest.PIPELINES;
import static io.jobpipe.orchestrator.machine.JobStateMachineTest.T0;
import static io.jobpipe.orchestrator.machine.JobStateMachineTest.requested;
import static io.jobpipe.orchestrator.machine.JobStateMachineTest.result;
import static org.assertj.core.api.Assertions.assertThat;

/** The log tail a worker sends with an attempt's result ends up in the job event that closes that attempt. */
class AttemptLogTest {
    static final String LOG = "reading page 1\nreading page 2\n";

    final JobStateMachine machine = new JobStateMachine(PIPELINES, stage -> "dlq." + stage, () -> ID);

    private JobState fetching() {
        return machine.apply(null, requested("github"), T0, NO_JITTER).state();
    }

    private static StageResult failedWithLog(int attempt, boolean retryable, String log) {
        return new StageResult.StageFailed("evt_r", JOB, T0, "fetch", attempt, T0, 900, "CommandFailed",
                "exited with 75", retryable, null, log);
    }

    @Test
    void shouldCopyTheLogOfASucceededAttemptIntoItsStageCompleted() {
        Instant t1 = T0.plusSeconds(2);
        StageResult succeeded = new StageResult.StageSucceeded("evt_r", JOB, T0, "fetch", 1, T0, 1500,
                "fetched 3 files", FETCHED, LOG);

        Transition t = machine.apply(fetching(), result(succeeded), t1, NO_JITTER);

        assertThat(t.events().get(0)).isEqualTo(new JobEvent.StageCompleted(ID, JOB, t1, 3, "fetch", 1, T0, 1500,
                "fetched 3 files", FETCHED, LOG));
        assertThat(t.events()).filteredOn(JobEvent.StageCompleted.class::isInstance).hasSize(1);
    }

    @Test
    void shouldCopyTheLogOfAFailedAttemptIntoItsStageAttemptFailedWhetherItIsRetriedOrNot() {
        Instant t1 = T0.plusSeconds(1);

        Transition retried = machine.apply(fetching(), result(failedWithLog(1, true, LOG)), t1, NO_JITTER);
        Transition failed = machine.apply(fetching(), result(failedWithLog(1, false, "bad input\n")), t1, NO_JITTER);

        assertThat(retried.events()).singleElement().isEqualTo(new JobEvent.StageAttemptFailed(ID, JOB, t1, 3,
                "fetch", 1, T0, 900, "CommandFailed", "exited with 75", true, t1.plusMillis(100), LOG));
        assertThat(failed.events()).containsExactly(
                new JobEvent.StageAttemptFailed(ID, JOB, t1, 3, "fetch", 1, T0, 900, "CommandFailed",
                        "exited with 75", false, null, "bad input\n"),
                new JobEvent.JobFailed(ID, JOB, t1, 4, "fetch", "CommandFailed", "exited with 75"));
    }

    @Test
    void shouldLeaveTheLogOutWhenTheAgentLoggedNothingOrTheResultIsLate() {
        Instant t1 = T0.plusSeconds(1);

        Transition quiet = machine.apply(fetching(), result(failedWithLog(1, true, null)), t1, NO_JITTER);
        Transition late = machine.apply(fetching(), result(failedWithLog(7, true, LOG)), t1, NO_JITTER);

        assertThat(((JobEvent.StageAttemptFailed) quiet.events().get(0)).log()).isNull();
        assertThat(late.events()).singleElement().isInstanceOf(JobEvent.LateResultIgnored.class);
    }
}
