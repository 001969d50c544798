package io.jobpipe.core.pipeline;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * How a stage is retried: exponential backoff with full jitter on the last part of the delay.
 * Validated on construction so a bad pipeline file fails at load, not at the fifth failure.
 *
 * @param maximumAttempts     attempts in all, the first included (1 = never retry)
 * @param jitter              fraction of each delay that is randomised, 0..1
 * @param nonRetryableErrors  error types (Temporal's non-retryable error types) that fail the job at once whatever
 *                            the agent said, e.g. {@code ValidationFailed}; any other failure, a timeout included,
 *                            is retried while attempts remain
 */
public record RetryPolicy(Duration initialInterval, double coefficient, Duration maximumInterval,
                          int maximumAttempts, double jitter, Set<String> nonRetryableErrors) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(
            Duration.ofMillis(200), 2.0, Duration.ofSeconds(30), 5, 0.2, Set.of());

    public RetryPolicy {
        Objects.requireNonNull(initialInterval, "initialInterval");
        Objects.requireNonNull(maximumInterval, "maximumInterval");
        if (initialInterval.isNegative() || initialInterval.isZero()) {
            throw new IllegalArgumentException("initialInterval must be positive, got " + initialInterval);
        }
        if (coefficient < 1.0) {
            throw new IllegalArgumentException("coefficient must be >= 1, got " + coefficient);
        }
        if (maximumInterval.compareTo(initialInterval) < 0) {
            throw new IllegalArgumentException("maximumInterval " + maximumInterval + " is below initialInterval " + initialInterval);
        }
        if (maximumAttempts < 1) {
            throw new IllegalArgumentException("maximumAttempts must be >= 1, got " + maximumAttempts);
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("jitter must be within 0..1, got " + jitter);
        }
        nonRetryableErrors = nonRetryableErrors == null ? Set.of() : Set.copyOf(nonRetryableErrors);
        if (nonRetryableErrors.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("nonRetryableErrors must name error types, got " + nonRetryableErrors);
        }
    }

    /** True when attempt number {@code attempt} (1-based) failed and another one is allowed. */
    public boolean allowsRetryAfter(int attempt) {
        return attempt < maximumAttempts;
    }

    public boolean isRetryable(String errorType, boolean agentSaysRetryable) {
        return agentSaysRetryable && !nonRetryableErrors.contains(errorType);
    }

    /**
     * The wait before the attempt after {@code failedAttempt}: initial * coefficient^(failedAttempt-1),
     * capped at the maximum, with the last {@code jitter} fraction drawn from {@code random} (0..1).
     */
    public Duration delayFor(int failedAttempt, DoubleSupplier random) {
        if (failedAttempt < 1) {
            throw new IllegalArgumentException("attempts start at 1, got " + failedAttempt);
        }
        double base = initialInterval.toMillis() * Math.pow(coefficient, failedAttempt - 1);
        double capped = Math.min(base, maximumInterval.toMillis());
        double jittered = capped * (1 - jitter) + capped * jitter * random.getAsDouble();
        return Duration.ofMillis(Math.max(1, Math.round(jittered)));
    }
}
