package io.jobpipe.runtime.procfs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot of every process's CPU time as Linux reports it in {@code /proc/<pid>/stat}: user + system time of
 * the process itself ({@code utime}, {@code stime}) and of its children that have ended and been waited for
 * ({@code cutime}, {@code cstime}), in clock ticks. Summing that over a process tree counts every process that
 * belongs to it, those that came and went between two snapshots included (PostgreSQL's backends, a worker's
 * command agents), as long as its root lives.
 */
public final class ProcessTable {
    /** One process: its parent, when it started (ticks after boot, to tell a reused pid apart) and CPU ticks. */
    public record Entry(long pid, long parentPid, long startTicks, long ownTicks, long reapedChildrenTicks) {
        public long ticks() {
            return ownTicks + reapedChildrenTicks;
        }
    }

    private static final Path PROC = Path.of("/proc");
    private final Map<Long, Entry> byPid;
    private final Map<Long, List<Long>> children;

    private ProcessTable(Map<Long, Entry> byPid) {
        this.byPid = byPid;
        this.children = new HashMap<>();
        byPid.values().forEach(e -> children.computeIfAbsent(e.parentPid(), k -> new ArrayList<>()).add(e.pid()));
    }

    /** True on a system with a readable {@code /proc} (Linux). */
    public static boolean available() {
        return Files.isReadable(PROC.resolve("self").resolve("stat"));
    }

    /** Reads every process now visible; processes that end while it reads are left out. */
    public static ProcessTable snapshot() {
        Map<Long, Entry> entries = new HashMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path dir : dirs) {
                read(dir).ifPresent(e -> entries.put(e.pid(), e));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
        }
        return new ProcessTable(entries);
    }

    public Optional<Entry> get(long pid) {
        return Optional.ofNullable(byPid.get(pid));
    }

    /** CPU ticks of {@code root} and all its live descendants (each with its reaped children), or empty if it is gone. */
    public Optional<Long> treeTicks(long root) {
        if (!byPid.containsKey(root)) {
            return Optional.empty();
        }
        long sum = 0;
        Deque<Long> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            long pid = todo.pop();
            Entry entry = byPid.get(pid);
            if (entry != null) {
                sum += entry.ticks();
                todo.addAll(children.getOrDefault(pid, List.of()));
            }
        }
        return Optional.of(sum);
    }

    /** How many processes the tree of {@code root} has now (itself included), 0 if it is gone. */
    public int treeSize(long root) {
        if (!byPid.containsKey(root)) {
            return 0;
        }
        int size = 0;
        Deque<Long> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            long pid = todo.pop();
            size++;
            todo.addAll(children.getOrDefault(pid, List.of()));
        }
        return size;
    }

    /** {@code /proc/<pid>/stat} of one process, or empty when it is gone or unreadable. */
    public static Optional<Entry> read(long pid) {
        return read(PROC.resolve(Long.toString(pid)));
    }

    private static Optional<Entry> read(Path dir) {
        try {
            return Optional.of(parse(Files.readString(dir.resolve("stat"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Parses one {@code stat} line. The command name (field 2) is in parentheses and may itself contain spaces and
     * parentheses, so fields are counted from the last ')'.
     */
    static Entry parse(String stat) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        long pid = Long.parseLong(stat.substring(0, open).trim());
        String[] f = stat.substring(close + 2).trim().split("\\s+");
        // f[0] is field 3 (state): field n is f[n - 3].
        long ppid = Long.parseLong(f[1]);
        long utime = Long.parseLong(f[11]);
        long stime = Long.parseLong(f[12]);
        long cutime = Long.parseLong(f[13]);
        long cstime = Long.parseLong(f[14]);
        long start = Long.parseLong(f[19]);
        return new Entry(pid, ppid, start, utime + stime, cutime + cstime);
    }
}
