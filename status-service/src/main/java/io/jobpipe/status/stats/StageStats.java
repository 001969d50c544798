package io.jobpipe.status.stats;

import io.micronaut.core.annotation.Introspected;

/**
 * One stage of one pipeline over the window's jobs.
 *
 * @param runs           the jobs that reached the stage (it is not PENDING)
 * @param attempts       attempts of the stage, all runs together
 * @param retryRate      share of runs that took more than one attempt
 * @param successRate    share of finished runs (succeeded, failed, dead-lettered) that succeeded; likewise
 *                       {@code failureRate} and {@code deadLetterRate}
 * @param durationMs     percentiles of the succeeded runs' last attempt
 */
@Introspected
public record StageStats(String stage, int position, long runs, long attempts, long succeeded, long failed,
                         long deadLettered, long retried, Double successRate, Double failureRate, Double retryRate,
                         Double deadLetterRate, Percentiles durationMs) {

    static StageStats of(String stage, int position, long runs, long attempts, long succeeded, long failed,
                         long deadLettered, long retried, Percentiles durationMs) {
        long finished = succeeded + failed + deadLettered;
        return new StageStats(stage, position, runs, attempts, succeeded, failed, deadLettered, retried,
                Rates.share(succeeded, finished), Rates.share(failed, finished), Rates.share(retried, runs),
                Rates.share(deadLettered, finished), durationMs);
    }
}
