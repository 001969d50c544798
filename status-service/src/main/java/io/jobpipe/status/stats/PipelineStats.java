package io.jobpipe.status.stats;

import io.micronaut.core.annotation.Introspected;

import java.util.List;
import java.util.Map;

/**
 * One pipeline over the window: its jobs by state, the shares of outcomes among finished jobs (completed, failed,
 * dead-lettered, cancelled), the share of jobs that needed a retry, and how long completed jobs took end to end.
 */
@Introspected
public record PipelineStats(String pipeline, long jobs, Map<String, Long> states, long finished, Double successRate,
                            Double failureRate, Double deadLetterRate, Double retryRate, Percentiles durationMs,
                            List<StageStats> stages) {
}
