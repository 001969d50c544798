package io.jobpipe.runtime.procfs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * CPU ticks of a HotSpot JVM's JIT compiler threads, from {@code /proc/<pid>/task/<tid>/stat}. HotSpot names them
 * {@code C1 CompilerThread0}, {@code C2 CompilerThread1}…, which Linux truncates to 15 characters
 * ({@code C2 CompilerThre}). A JVM that has just started, or that meets code it has not seen, spends much of its CPU
 * there: on two cores five services compiling at once is what a short benchmark pays, and it must be told apart from
 * the cost of the work. HotSpot may stop an idle compiler thread; its ticks then leave the sum, so a reading over a
 * window is a lower bound.
 */
public final class CompilerThreads {
    private static final Path PROC = Path.of("/proc");

    private CompilerThreads() {
    }

    /** Ticks of the compiler threads of {@code pid}, or empty when the process is gone or unreadable. */
    public static OptionalLong ticks(long pid) {
        Path tasks = PROC.resolve(Long.toString(pid)).resolve("task");
        long sum = 0;
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path thread : threads) {
                sum += compilerTicks(thread);
            }
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(sum);
    }

    private static long compilerTicks(Path thread) {
        try {
            return compilerTicksOf(Files.readString(thread.resolve("stat")));
        } catch (IOException | RuntimeException e) {
            return 0; // the thread ended while we listed them
        }
    }

    /** utime + stime of one thread's {@code stat} line if it is a JIT compiler thread, else 0. */
    static long compilerTicksOf(String stat) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        String name = stat.substring(open + 1, close);
        if (!name.startsWith("C1 CompilerThr") && !name.startsWith("C2 CompilerThr")) {
            return 0;
        }
        String[] f = stat.substring(close + 2).trim().split("\\s+");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
