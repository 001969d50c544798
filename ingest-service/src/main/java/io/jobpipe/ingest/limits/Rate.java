package io.jobpipe.ingest.limits;

/**
 * A token-bucket rate: {@code perSecond} requests a second on average, and bursts of up to {@code burst} at once.
 */
public record Rate(long perSecond, long burst) {
    public Rate {
        if (perSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("a rate needs at least one request a second and a burst of one, got "
                    + perSecond + "/s, burst " + burst);
        }
    }

    /** {@code burst} when given, else twice the rate: one second's worth of catching up. */
    public static Rate of(long perSecond, Long burst) {
        return new Rate(perSecond, burst == null ? Math.multiplyExact(perSecond, 2) : burst);
    }
}
