package io.jobpipe.core.pipeline;

import java.time.Duration;
import java.util.Objects;

/**
 * When a stage's circuit breaker opens and how long it stays open. The breaker watches the stage's recent attempt
 * outcomes; once at least {@code minimumAttempts} of the last {@code window} are known and the share of failures
 * among them reaches {@code failureRate}, it opens: new dispatches of the stage are held, not sent, so a broken
 * dependency does not burn every job's attempts into the dead-letter topic. After {@code cooldown} one held job is
 * sent as a probe; its success closes the breaker, its failure opens it again.
 * <p>Failures counted are the retryable ones (timeouts, crashed workers, an unreachable dependency); a
 * non-retryable failure is the job's own fault (invalid input) and says nothing about the stage.
 *
 * @param enabled         false: the stage never holds jobs (an operator can still open it by hand)
 * @param failureRate     share of failed attempts, 0 &lt; rate &le; 1, at which it opens
 * @param window          how many recent attempts are weighed
 * @param minimumAttempts attempts known before it may open, 1..window (a first failure alone is no trend)
 * @param cooldown        how long it stays open before a probe
 */
public record BreakerPolicy(boolean enabled, double failureRate, int window, int minimumAttempts, Duration cooldown) {
    public static final BreakerPolicy DEFAULT = new BreakerPolicy(true, 0.5, 20, 10, Duration.ofSeconds(30));
    public static final BreakerPolicy DISABLED = DEFAULT.withEnabled(false);

    public BreakerPolicy {
        Objects.requireNonNull(cooldown, "cooldown");
        if (!(failureRate > 0 && failureRate <= 1)) {
            throw new IllegalArgumentException("breaker failureRate must be within (0, 1], got " + failureRate);
        }
        if (window < 1) {
            throw new IllegalArgumentException("breaker window must be >= 1, got " + window);
        }
        if (minimumAttempts < 1 || minimumAttempts > window) {
            throw new IllegalArgumentException("breaker minimumAttempts must be within 1.." + window + ", got "
                    + minimumAttempts);
        }
        if (cooldown.isNegative() || cooldown.isZero()) {
            throw new IllegalArgumentException("breaker cooldown must be positive, got " + cooldown);
        }
    }

    public BreakerPolicy withEnabled(boolean on) {
        return new BreakerPolicy(on, failureRate, window, minimumAttempts, cooldown);
    }
}
