package io.jobpipe.runtime.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every figure of {@code ./jobpipe bench --bulk-replay}: the seeded dead letters, normal traffic without a replay
 * (baseline) and the same traffic while the bulk replay runs, the replay itself, and issue 8's p99 target.
 *
 * @param passed   true when the replay completed every seeded job and no normal job was lost in either phase;
 *                 the p99 target's verdict is {@code impact}, apart
 * @param problems why {@code passed} is false
 * @param warnings what makes the figures less telling, and the phases' own warnings
 */
public record BulkReplayReport(Instant startedAt, String runId, DeadLetterSeeder.Result seed, BenchReport baseline,
                               BenchReport duringReplay, ReplayFigures replay, ReplayImpact impact, boolean passed,
                               List<String> problems, List<String> warnings) {

    /** Above this share of the baseline's CPU, the JIT is taken to be still warming the JVMs up. */
    static final double JIT_SHARE_WARNING = 0.10;

    public static BulkReplayReport of(Instant startedAt, String runId, DeadLetterSeeder.Result seed,
                                      BenchReport baseline, BenchReport duringReplay, ReplayFigures replay,
                                      double allowedRatio) {
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        baseline.problems().forEach(p -> problems.add("baseline phase: " + p));
        duringReplay.problems().forEach(p -> problems.add("replay phase: " + p));
        replayProblems(replay, problems);
        double trafficSeconds = duringReplay.settings().count() / duringReplay.settings().ratePerSecond();
        if (replay.allCompletedSeconds() != null && replay.allCompletedSeconds() > trafficSeconds) {
            warnings.add(String.format(Locale.ROOT, "the replay took %.1f s to complete, longer than the %.0f s of "
                    + "normal traffic measured beside it: its tail ran unmeasured (a longer --duration covers it)",
                    replay.allCompletedSeconds(), trafficSeconds));
        } else if (replay.allCompletedSeconds() != null && replay.allCompletedSeconds() < trafficSeconds / 2) {
            warnings.add(String.format(Locale.ROOT, "the replay was over after %.1f s of the %.0f s of normal traffic "
                    + "beside it: the phase's p99 also covers time without it (a shorter --duration measures it "
                    + "more sharply)", replay.allCompletedSeconds(), trafficSeconds));
        }
        CpuCost cpu = baseline.cpu();
        Double jit = cpu == null ? null : cpu.total().jitCpuMs();
        Double load = cpu == null ? null : cpu.total().loadCpuMs();
        if (jit != null && load != null && load > 0 && jit > JIT_SHARE_WARNING * load) {
            warnings.add(String.format(Locale.ROOT, "the JVMs' JIT compilers used %.0f%% of the baseline phase's CPU: "
                    + "they were still compiling, which slows the baseline and favours the replay phase that follows "
                    + "(--warm-up 3m runs load first)", 100 * jit / load));
        }
        baseline.warnings().forEach(w -> warnings.add("baseline phase: " + w));
        duringReplay.warnings().forEach(w -> warnings.add("replay phase: " + w));
        ReplayImpact impact = ReplayImpact.of(baseline.endToEnd().latency(), duringReplay.endToEnd().latency(),
                allowedRatio);
        return new BulkReplayReport(startedAt, runId, seed, baseline, duringReplay, replay, impact,
                problems.isEmpty(), List.copyOf(problems), List.copyOf(warnings));
    }

    private static void replayProblems(ReplayFigures r, List<String> problems) {
        if (r.startFailure() != null) {
            problems.add("the bulk replay could not start: " + r.startFailure());
            return;
        }
        if (!"done".equals(r.state())) {
            problems.add("the replay operation ended " + (r.state() == null ? "unread" : r.state())
                    + (r.error() == null ? "" : ": " + r.error()) + " (" + r.sent() + " of " + r.matched() + " sent)");
        }
        if (r.matched() != r.jobs()) {
            problems.add("the replay operation selected " + r.matched() + " jobs, not the " + r.jobs() + " seeded");
        }
        if (r.failed() > 0) {
            problems.add(r.failed() + " replay command(s) were not sent");
        }
        if (r.completed() < r.jobs()) {
            problems.add((r.jobs() - r.completed()) + " of " + r.jobs() + " replayed jobs did not end COMPLETED"
                    + (r.deadLetteredAgain() > 0 ? " (" + r.deadLetteredAgain() + " dead-lettered again)" : ""));
        }
        if (r.statusCheck() != null && r.statusCheck().count("COMPLETED") != r.jobs()) {
            problems.add("the status service shows " + r.statusCheck().count("COMPLETED") + " of " + r.jobs()
                    + " replayed jobs COMPLETED " + r.statusCheck().byState());
        }
    }
}
