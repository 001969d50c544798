package io.jobpipe.runtime.procfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The unit of {@code /proc/<pid>/stat} CPU times ({@code getconf CLK_TCK}, 100 on practically every Linux). */
public final class ClockTicks {
    private static volatile long perSecond;

    private ClockTicks() {
    }

    public static long perSecond() {
        long value = perSecond;
        if (value == 0) {
            value = ask();
            perSecond = value;
        }
        return value;
    }

    public static double toMillis(long ticks) {
        return ticks * 1000.0 / perSecond();
    }

    private static long ask() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return Long.parseLong(out);
            }
        } catch (IOException | NumberFormatException e) {
            // fall through to the Linux default
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
