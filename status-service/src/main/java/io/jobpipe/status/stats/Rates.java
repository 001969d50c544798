package io.jobpipe.status.stats;

/**
 * Shares of outcomes, from counts. Pure. A share of nothing is null, not 0 or NaN: "no job finished" is not "no job
 * failed", and JSON has no NaN.
 */
public final class Rates {
    private Rates() {
    }

    /** {@code part / whole} rounded to four decimals, or null when {@code whole} is 0. */
    public static Double share(long part, long whole) {
        if (whole <= 0) {
            return null;
        }
        return Math.round(part * 10_000.0 / whole) / 10_000.0;
    }
}
