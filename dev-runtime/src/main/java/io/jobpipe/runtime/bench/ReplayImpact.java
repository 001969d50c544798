package io.jobpipe.runtime.bench;

/**
 * Issue 8's target for a bulk replay: normal traffic's end-to-end p99 while the replay runs stays within
 * {@code allowedRatio} × its p99 without the replay, both measured in the same run.
 *
 * @param ratio null when either phase has no completed job to measure
 */
public record ReplayImpact(double baselineP99Ms, double duringReplayP99Ms, Double ratio, double allowedRatio,
                           Verdict verdict) {
    /** Issue 8: within 2× of the p99 without the replay. */
    public static final double ISSUE_8_ALLOWED_RATIO = 2.0;

    public enum Verdict { PASS, FAIL, UNKNOWN }

    public static ReplayImpact of(LatencySummary baseline, LatencySummary duringReplay, double allowedRatio) {
        if (baseline.isEmpty() || duringReplay.isEmpty() || baseline.p99Ms() <= 0) {
            return new ReplayImpact(baseline.p99Ms(), duringReplay.p99Ms(), null, allowedRatio, Verdict.UNKNOWN);
        }
        double ratio = duringReplay.p99Ms() / baseline.p99Ms();
        return new ReplayImpact(baseline.p99Ms(), duringReplay.p99Ms(), ratio, allowedRatio,
                ratio <= allowedRatio ? Verdict.PASS : Verdict.FAIL);
    }
}
