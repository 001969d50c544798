package io.jobpipe.runtime.bench.worker;

import io.jobpipe.runtime.bench.ChildProcesses;
import io.jobpipe.runtime.procfs.JvmCpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A JVM the worker bench starts for one side of the comparison, so each side pays for its own JIT and GC as the
 * services under {@code ./jobpipe up} do. Its output goes to a log file, whose tail explains a failed start. It stops
 * when closed: stdin closed first (the raw hop exits on it), then SIGTERM, then SIGKILL.
 */
final class ChildJvm implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static ChildJvm start(String name, String classPath, String mainClass, List<String> args, List<String> javaOptions,
                          Map<String, String> env, Path log, BooleanSupplier ready, Duration timeout) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        ChildJvm child;
        try {
            child = new ChildJvm(name, builder.start(), log);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + ": " + e.getMessage(), e);
        }
        Instant deadline = Instant.now().plus(timeout);
        while (!ready.getAsBoolean()) {
            if (!child.process.isAlive() || Instant.now().isAfter(deadline)) {
                String why = child.process.isAlive() ? "was not ready within " + timeout.toSeconds() + " s"
                        : "exited with code " + child.process.exitValue();
                child.close();
                throw new IllegalStateException(name + " " + why + "; last lines of " + log + ":\n  "
                        + String.join("\n  ", child.tail(30)));
            }
            sleep(200);
        }
        return child;
    }

    List<String> tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException e) {
            return List.of("(no log: " + e.getMessage() + ")");
        }
    }

    /**
     * CPU ticks the JVM has used so far, all threads and its ended children (a command agent's processes), and of
     * those its JIT compiler threads' (from {@code /proc}, as {@code ./jobpipe bench} counts its parts); empty where
     * there is no {@code /proc} or the JVM is gone.
     */
    Optional<JvmCpu> cpu() {
        return JvmCpu.of(process.pid());
    }

    @Override
    public void close() {
        ChildProcesses.stop(process, 3, 10);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
