package io.jobpipe.runtime.bench;

import io.jobpipe.runtime.procfs.CommandLines;
import io.jobpipe.runtime.procfs.ListeningPorts;
import io.jobpipe.runtime.procfs.ProcessTable;
import io.jobpipe.runtime.supervisor.JobpipeRuntime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Finds the processes of a running jobpipe on this machine, so that the bench can read their CPU time and
 * {@code chaos} can kill one. A part is found first by the port it listens on (exactly the system the bench talks
 * to, even with several jobpipes on one machine), else by the pid file {@code ./jobpipe up} keeps under
 * {@code <data-dir>/pids/} (only if that process's command line says it is that child). PostgreSQL is the server
 * process (the postmaster, whose tree holds every backend) plus, when its pid file is found, the JVM that
 * launched it. A part that cannot be found is reported as such, never as zero CPU.
 */
public final class SystemParts {
    /** Where to look for one part: its name in reports, the {@code up} child that runs it, its port. */
    public record Address(String part, String child, int port) {
    }

    /** A process of a part and when it started, so a restarted process (same pid reused or not) is noticed. */
    public record Root(long pid, long startTicks) {
        public boolean sameProcessIn(ProcessTable table) {
            return table.get(pid).map(e -> e.startTicks() == startTicks).orElse(false);
        }
    }

    /**
     * @param roots   the processes whose trees make up the part; empty when not found
     * @param how     how they were found, or why not
     */
    public record Located(String part, List<Root> roots, String how) {
        public boolean found() {
            return !roots.isEmpty();
        }

        /** The pid of the main process (the one listening on the part's port). */
        public long mainPid() {
            return roots.isEmpty() ? -1 : roots.get(0).pid();
        }
    }

    public static final String BROKER = "broker";
    public static final String POSTGRES = "postgres";

    private SystemParts() {
    }

    /** The six parts of {@code ./jobpipe up}, in report order. */
    public static List<Address> addresses(int kafkaPort, int postgresPort, int ingestPort, int orchestratorPort,
                                          int workerPort, int statusPort) {
        return List.of(new Address(BROKER, "kafka", kafkaPort), new Address(POSTGRES, "postgres", postgresPort),
                new Address("ingest", "ingest", ingestPort), new Address("orchestrator", "orchestrator", orchestratorPort),
                new Address("worker", "worker", workerPort), new Address("status", "status", statusPort));
    }

    /** Locates every part now. {@code dataDir} may be null (no pid files). */
    public static List<Located> locate(List<Address> addresses, Path dataDir) {
        ProcessTable table = ProcessTable.snapshot();
        return addresses.stream().map(a -> locate(a, dataDir, table)).toList();
    }

    public static Located locate(Address address, Path dataDir, ProcessTable table) {
        List<Root> roots = new ArrayList<>();
        String how;
        OptionalLong listener = ListeningPorts.pidListeningOn(address.port());
        Optional<Long> fromPidFile = dataDir == null ? Optional.empty() : pidFromFile(dataDir, address.child());
        if (listener.isPresent()) {
            root(table, listener.getAsLong()).ifPresent(roots::add);
            how = "listens on port " + address.port();
        } else if (fromPidFile.isPresent() && !address.part().equals(POSTGRES)) {
            root(table, fromPidFile.get()).ifPresent(roots::add);
            how = "pid file " + JobpipeRuntime.pidFile(dataDir, address.child());
        } else {
            return new Located(address.part(), List.of(), "not found: nothing of this user listens on port " + address.port()
                    + (dataDir == null ? "" : " and no live " + JobpipeRuntime.pidFile(dataDir, address.child())));
        }
        if (address.part().equals(POSTGRES) && fromPidFile.isPresent() && roots.stream().noneMatch(r -> r.pid() == fromPidFile.get())) {
            // The JVM that launched the server is part of PostgreSQL's cost as ./jobpipe up runs it.
            root(table, fromPidFile.get()).ifPresent(roots::add);
            how += " + its launcher JVM (pid file)";
        }
        return roots.isEmpty() ? new Located(address.part(), List.of(), "not found: its process ended while being looked up")
                : new Located(address.part(), List.copyOf(roots), how);
    }

    private static Optional<Root> root(ProcessTable table, long pid) {
        return table.get(pid).map(e -> new Root(pid, e.startTicks()));
    }

    /** The pid in {@code <dataDir>/pids/<child>.pid} if that process lives and was started by up as that child. */
    static Optional<Long> pidFromFile(Path dataDir, String child) {
        Path file = JobpipeRuntime.pidFile(dataDir, child);
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(file).trim());
            return CommandLines.of(pid).contains("-Djobpipe.process=" + child + " ") ? Optional.of(pid) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
