package io.jobpipe.runtime.supervisor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One child JVM of {@code ./jobpipe up}: its command, environment and log file. Children get
 * {@code JOBPIPE_PARENT_PID} so they exit on their own if this launcher dies without stopping them. The pid of
 * the running process is kept in {@code pidFile} (when given), so {@code ./jobpipe bench} and {@code chaos} can
 * find it; a restart runs the same command again (same data directories, same ports).
 */
public final class ManagedProcess {
    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path logFile;
    private final Path pidFile;
    private volatile Process process;
    private volatile Instant startedAt;
    private volatile boolean stopping;

    public ManagedProcess(String name, List<String> command, Map<String, String> environment, Path logFile) {
        this(name, command, environment, logFile, null);
    }

    /** @param pidFile where the running process's pid is written, or null for none */
    public ManagedProcess(String name, List<String> command, Map<String, String> environment, Path logFile, Path pidFile) {
        this.name = name;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.logFile = logFile;
        this.pidFile = pidFile;
    }

    public String name() {
        return name;
    }

    public Path logFile() {
        return logFile;
    }

    public synchronized void start() {
        try {
            Files.createDirectories(logFile.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().putAll(environment);
            builder.environment().put("JOBPIPE_PARENT_PID", String.valueOf(ProcessHandle.current().pid()));
            Files.writeString(logFile, "---- " + java.time.Instant.now() + " starting " + name + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            process = builder.start();
            startedAt = Instant.now();
            if (pidFile != null) {
                Files.createDirectories(pidFile.getParent());
                Files.writeString(pidFile, process.pid() + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts the same command again after the process died. Returns false, and starts nothing, once
     * {@link #stop} was called (a restart must never race a shutdown) or while the old process still runs.
     */
    public synchronized boolean restart() {
        if (stopping || isAlive()) {
            return false;
        }
        start();
        return true;
    }

    /** When the current (or last) process was started, or null before the first start. */
    public Instant startedAt() {
        return startedAt;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** True when the process ended without being asked to. */
    public boolean diedUnexpectedly() {
        return process != null && !process.isAlive() && !stopping;
    }

    public Integer exitCode() {
        return process == null || process.isAlive() ? null : process.exitValue();
    }

    public long pid() {
        return process == null ? -1 : process.pid();
    }

    /** Asks the JVM to stop (SIGTERM runs its shutdown hooks); kills it, children included, after {@code grace}. */
    public void stop(Duration grace) {
        Process p;
        synchronized (this) {
            stopping = true;
            p = process;
        }
        deletePidFile();
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }

    private void deletePidFile() {
        if (pidFile != null) {
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                // A stale pid file is checked against the process's command line by whoever reads it.
            }
        }
    }

    /** The last {@code lines} lines of the log, to show why a child failed. */
    public List<String> logTail(int lines) {
        try {
            List<String> all = Files.exists(logFile) ? Files.readAllLines(logFile) : List.of();
            return new ArrayList<>(all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return List.of("(cannot read " + logFile + ": " + e.getMessage() + ")");
        }
    }
}
