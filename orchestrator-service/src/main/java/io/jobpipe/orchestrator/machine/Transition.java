package io.jobpipe.orchestrator.machine;

import io.jobpipe.core.event.JobEvent;

import java.util.List;

/**
 * The result of applying one input: the job's new state ({@code null} for a job that never existed or
 * that is being forgotten) and the outputs to carry out, in order.
 */
public record Transition(JobState state, List<Output> outputs) {

    public Transition {
        outputs = List.copyOf(outputs);
    }

    public static Transition nothing(JobState state) {
        return new Transition(state, List.of());
    }

    /** The job events among the outputs, in order. */
    public List<JobEvent> events() {
        return outputs.stream()
                .filter(Output.EmitJobEvent.class::isInstance)
                .map(o -> ((Output.EmitJobEvent) o).event())
                .toList();
    }
}
