package io.jobpipe.runtime.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Stopping a JVM a benchmark started: stdin closed first (the children exit on it), then SIGTERM, then SIGKILL. */
public final class ChildProcesses {
    private ChildProcesses() {
    }

    public static void stop(Process process, long termAfterSeconds, long killAfterSeconds) {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(termAfterSeconds, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(killAfterSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
