package io.jobpipe.core.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Ends this JVM when the process that launched it dies. {@code ./jobpipe up} sets
 * {@code JOBPIPE_PARENT_PID} for every child, so even a killed launcher leaves no orphan services.
 * {@link System#exit} runs the shutdown hooks, so consumers and producers still close cleanly.
 */
public final class ParentProcessWatch {
    public static final String ENV = "JOBPIPE_PARENT_PID";
    private static final Logger LOG = LoggerFactory.getLogger(ParentProcessWatch.class);

    private ParentProcessWatch() {
    }

    public static void startFromEnvironment() {
        String pid = System.getenv(ENV);
        if (pid == null || pid.isBlank()) {
            return;
        }
        Optional<ProcessHandle> parent = ProcessHandle.of(Long.parseLong(pid.trim()));
        if (parent.isEmpty()) {
            LOG.warn("parent process {} is already gone; exiting", pid);
            System.exit(3);
        }
        parent.get().onExit().thenRun(() -> {
            LOG.warn("parent process {} exited; shutting down", pid);
            System.exit(0);
        });
    }
}
