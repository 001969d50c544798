package io.jobpipe.runtime.cli;

import io.jobpipe.runtime.bench.ScratchDatabase;
import io.jobpipe.runtime.supervisor.JobpipeRuntime;
import io.jobpipe.runtime.supervisor.RuntimeOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code ./jobpipe bench projection}: status-service's batched projection against a raw JDBC batch insert. */
@Command(name = "projection", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Measure status-service's projection writes against a raw JDBC batch insert of the same job events, "
                        + "on the PostgreSQL of a RUNNING ./jobpipe up, in a scratch database of its own (created, "
                        + "migrated, dropped afterwards); the running system is not used.",
                "Each round writes --jobs successful seven-stage runs (16 events each, 200 jobs in flight, batches of "
                        + "500 as the live projection takes them) through the projection, and as many through the raw "
                        + "insert (one row per event into a table like job_events, reWriteBatchedInserts), sides "
                        + "alternating, after --warmup-rounds of each (printed, not counted: the projection's Java is "
                        + "still being compiled in its first rounds). Target (issue 10): the projection's median >= 50%% "
                        + "of the raw median.",
                "Exit: 0 target met; 1 missed; 2 could not run."})
final class ProjectionBenchCommand implements java.util.concurrent.Callable<Integer> {
    private static final Pattern RESULT = Pattern.compile(
            "RESULT raw=(\\d+) projection=(\\d+) ratio=([0-9.]+) target=([0-9.]+) (PASS|FAIL)");

    @Spec
    CommandSpec spec;

    @Option(names = "--postgres-port", defaultValue = "15432", description = "the running PostgreSQL (default: ${DEFAULT-VALUE})")
    int postgresPort;

    @Option(names = "--jobs", defaultValue = "2000", description = "jobs per round and side (default: ${DEFAULT-VALUE})")
    int jobs;

    @Option(names = "--rounds", defaultValue = "5",
            description = "measured rounds each side; the ratio is of their medians (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--warmup-rounds", defaultValue = "2",
            description = "rounds each side first, printed and not counted (default: ${DEFAULT-VALUE})")
    int warmupRounds;

    @Option(names = "--java-opts", defaultValue = "-XX:+UseSerialGC",
            description = "the projection's JVM options, after the heap ./jobpipe up gives status (256-512 MB; a heap option here replaces it) (default: ${DEFAULT-VALUE})")
    String javaOpts;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the figures to FILE as JSON")
    Path json;

    /** The figures: each side's median events/s and their ratio; every round's line as printed. */
    record Figures(double rawPerSecond, double projectionPerSecond, double ratio, double target, List<String> rounds) {
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (jobs < 100 || jobs > 200_000 || rounds < 1 || rounds > 20 || warmupRounds < 0 || warmupRounds > 20) {
            err.println("bench projection: --jobs must be within 100..200000, --rounds 1..20, --warmup-rounds 0..20");
            return 2;
        }
        Path home = Home.path();
        RuntimeOptions options = new RuntimeOptions(home, home.resolve(".jobpipe"), 9092, 0, postgresPort, 0, 0, 0, 0,
                3, "", javaOpts);
        ScratchDatabase database;
        try {
            database = ScratchDatabase.create(options, "jobpipe_bench_projection");
        } catch (SQLException e) {
            err.println("bench projection could not create a scratch database on PostgreSQL :" + postgresPort
                    + " (is ./jobpipe up running?): " + e.getMessage());
            return 2;
        }
        List<String> lines = new ArrayList<>();
        int exit;
        try (database) {
            out.println("projection bench in scratch database " + database.name() + ": " + warmupRounds
                    + " warm-up and " + rounds + " measured rounds of " + jobs + " jobs (" + jobs * 16
                    + " events) each side");
            out.flush();
            exit = JobpipeRuntime.runStatusMode(options, List.of("bench-projection", String.valueOf(jobs),
                    String.valueOf(rounds), String.valueOf(warmupRounds)), database.jdbcUrl(), "status-bench-projection", "projection-bench",
                    Duration.ofMinutes(30), line -> {
                        lines.add(line);
                        out.println(line);
                        out.flush();
                    });
        } catch (SQLException e) {
            err.println("could not drop the scratch database " + database.name() + ": " + e.getMessage());
            return 2;
        }
        Matcher result = lines.stream().map(RESULT::matcher).filter(Matcher::find).reduce((a, b) -> b).orElse(null);
        if (result == null || exit == 2 || exit < 0) {
            err.println("bench projection did not finish (exit " + exit + "); log: "
                    + options.dataDir().resolve("logs").resolve("status-bench-projection.log"));
            return 2;
        }
        Figures figures = new Figures(Double.parseDouble(result.group(1)), Double.parseDouble(result.group(2)),
                Double.parseDouble(result.group(3)), Double.parseDouble(result.group(4)),
                lines.stream().filter(l -> l.contains(" round ")).toList());
        String text = String.format(java.util.Locale.ROOT, "%nprojection %.0f events/s, raw JDBC batch insert %.0f"
                        + " events/s (medians): ratio %.2f (target >= %.2f) %s%n", figures.projectionPerSecond(),
                figures.rawPerSecond(), figures.ratio(), figures.target(), "PASS".equals(result.group(5)) ? "PASS" : "FAIL");
        return FiguresFile.finish(text, figures, "PASS".equals(result.group(5)), json, out, err);
    }
}
