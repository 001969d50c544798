package io.jobpipe.agent;

/**
 * Runs one attempt of one stage: the one contract of every agent kind (built-in, HTTP, command, a user's own jar).
 * An agent works only on what its {@link AgentCall} gives it; it knows nothing of Kafka or of the poll loop.
 * <ul>
 *   <li>Return {@link AgentOutcome#success} with the stage's output, or {@link AgentOutcome#failure} classified as
 *       retryable or not.</li>
 *   <li>Throw {@link AgentException} from deep helpers to classify a failure there; any other exception counts as a
 *       retryable failure named after its class.</li>
 *   <li>The call may be interrupted when the stage timeout has passed: an agent that blocks should let
 *       {@link InterruptedException} end it.</li>
 *   <li>The same {@link AgentCall#idempotencyKey()} may arrive more than once (a retry, a crashed worker's record
 *       redelivered): side effects must be keyed on it.</li>
 * </ul>
 * An agent is shared by every attempt that runs at once, so it must be thread-safe.
 */
@FunctionalInterface
public interface Agent {
    AgentOutcome run(AgentCall call);
}
