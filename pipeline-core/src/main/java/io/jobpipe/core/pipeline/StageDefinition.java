package io.jobpipe.core.pipeline;

import io.jobpipe.core.event.AgentSpec;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One stage of a pipeline: its name (which names its topic), the agent that runs it, how long an
 * attempt may take without a result or heartbeat, how it is retried, how many run at once per worker, and when its
 * circuit breaker holds new dispatches.
 */
public record StageDefinition(String name, AgentSpec agent, Duration timeout, RetryPolicy retry, int concurrency,
                              BreakerPolicy breaker) {
    /** Stage names become topic names ({@code jobpipe.stage.<name>}), so they are kept topic-safe. */
    public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,47}");

    public StageDefinition {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches() || name.equals("results")) {
            throw new IllegalArgumentException("stage name '" + name
                    + "' must match " + NAME.pattern() + " and must not be 'results'");
        }
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(breaker, "breaker");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("stage " + name + ": timeout must be positive");
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("stage " + name + ": concurrency must be >= 1");
        }
    }

    /** A stage with the default breaker. */
    public StageDefinition(String name, AgentSpec agent, Duration timeout, RetryPolicy retry, int concurrency) {
        this(name, agent, timeout, retry, concurrency, BreakerPolicy.DEFAULT);
    }
}
