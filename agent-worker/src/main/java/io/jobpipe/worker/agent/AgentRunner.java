package io.jobpipe.worker.agent;

import io.jobpipe.agent.AgentException;
import io.jobpipe.agent.AgentOutcome;

/**
 * Runs the agent a request names and never throws: whatever the agent does, the caller gets an
 * outcome to publish, so a buggy agent costs one failed attempt, never a worker thread.
 */
public final class AgentRunner {
    private final AgentRegistry registry;

    public AgentRunner(AgentRegistry registry) {
        this.registry = registry;
    }

    public AgentOutcome run(StageCall call) {
        var spec = call.agent();
        try {
            AgentOutcome outcome = registry.agentFor(spec).run(call);
            if (outcome == null) {
                return AgentOutcome.failure("AgentReturnedNothing", "agent " + spec + " returned no outcome", true);
            }
            return outcome;
        } catch (AgentException e) {
            return e.toOutcome();
        } catch (StackOverflowError e) {
            return AgentOutcome.failure("StackOverflowError", "agent " + spec + " overflowed its stack", true);
        } catch (VirtualMachineError e) {
            // The JVM itself is in trouble (out of memory): let the thread's handler see it.
            throw e;
        } catch (Throwable e) {
            String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
            return AgentOutcome.failure(e.getClass().getSimpleName(), message, true);
        }
    }
}
