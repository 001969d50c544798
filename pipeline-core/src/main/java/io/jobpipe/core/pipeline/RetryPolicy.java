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
 * @param maximumRetryAfter   the longest wait an agent's {@code Retry-After} may ask for; a longer one is cut to it, so
 *                            a misbehaving service cannot park a job for days
 */
public record RetryPolicy(Duration initialInterval, double coefficient, Duration maximumInterval,
                          int maximumAttempts, double jitter, Set<String> nonRetryableErrors,
                          Duration maximumRetryAfter) {

    public static final Duration DEFAULT_MAXIMUM_RETRY_AFTER = Duration.ofMinutes(5);

    public static final RetryPolicy DEFAULT = new RetryPolicy(
            Duration.ofMillis(200), 2.0, Duration.ofSeconds(30), 5, 0.2, Set.of());

    /** A policy that caps {@code Retry-After} at {@link #DEFAULT_MAXIMUM_RETRY_AFTER}. */
    public RetryPolicy(Duration initialInterval, double coefficient, Duration maximumInterval, int maximumAttempts,
                       double jitter, Set<String> nonRetryableErrors) {
        this(initialInterval, coefficient, maximumInterval, maximumAttempts, jitter, nonRetryableErrors,
                DEFAULT_MAXIMUM_RETRY_AFTER);
    }

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
        Objects.requireNonNull(maximumRetryAfter, "maximumRetryAfter");
        if (maximumRetryAfter.isNegative()) {
            throw new IllegalArgumentException("maximumRetryAfter must not be negative, got " + maximumRetryAfter);
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

    /**
     * The wait before the attempt after {@code failedAttempt} when the agent asked for at least {@code retryAfter}
     * (an HTTP {@code Retry-After}; null when it asked for nothing): the longer of the backoff and the request, the
     * request cut to {@link #maximumRetryAfter}.
     */
    public Duration delayFor(int failedAttempt, DoubleSupplier random, Duration retryAfter) {
        Duration backoff = delayFor(failedAttempt, random);
        if (retryAfter == null) {
            return backoff;
        }
        Duration asked = retryAfter.compareTo(maximumRetryAfter) > 0 ? maximumRetryAfter : retryAfter;
        return asked.compareTo(backoff) > 0 ? asked : backoff;
    }
}
