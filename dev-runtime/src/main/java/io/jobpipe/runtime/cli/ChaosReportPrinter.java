package io.jobpipe.runtime.cli;

import io.jobpipe.runtime.bench.JobLedger;
import io.jobpipe.runtime.bench.WebhookLoad;
import io.jobpipe.runtime.chaos.ChaosReport;
import io.jobpipe.runtime.chaos.EventStreamAudit;
import io.jobpipe.runtime.chaos.SseFollower;

import java.util.List;
import java.util.Locale;

/** The verdict of {@code ./jobpipe chaos}, per run and, for {@code --part all}, as a matrix. */
final class ChaosReportPrinter {
    private ChaosReportPrinter() {
    }

    static String render(ChaosReport r) {
        StringBuilder out = new StringBuilder("\n");
        line(out, "== chaos: kill -9 %s ==", r.part());
        line(out, "kill      pid %d at %.1f s into the load; %s", r.killedPid(), r.killedAtSeconds(),
                r.restartedPid() < 0 ? "NOT back" : String.format(Locale.ROOT, "back as pid %d after %.1f s",
                        r.restartedPid(), r.recoveredAfterMs() / 1000.0));
        WebhookLoad.Counts http = r.http();
        long refused = http.sent() - http.accepted();
        line(out, "ingest    %d sent, %d accepted, %d refused (not jobs: %s, %d transport errors)", http.sent(),
                http.accepted(), refused, http.byStatus(), http.transportErrors());
        JobLedger.Outcomes o = r.outcomes();
        line(out, "jobs      accepted %d: COMPLETED %d, FAILED %d, DEAD_LETTERED %d, in flight %d (drain %.1f s); "
                        + "%d ran without a 2xx", o.accepted(), o.completed(), o.failed(), o.deadLettered(), o.inFlight(),
                r.drainSeconds(), o.unacknowledgedRunJobs());
        EventStreamAudit.Findings a = r.audit();
        line(out, "events    %d job(s) audited read_committed: %s; seq gaps %d, conflicting duplicates %d, identical "
                        + "duplicates %d, extra terminals %d, jobs with no event %d", a.jobs(), a.outcomes(),
                a.jobsWithGaps(), a.conflictingDuplicates(), a.identicalDuplicates(), a.extraTerminals(), a.missingJobs());
        line(out, "status    %s", r.status() == null ? "not checked" : "GET /jobs/{id}: " + r.status().byState());
        long sseOk = r.sse().stream().filter(s -> s.check().isEmpty()).count();
        line(out, "sse       %d of %d client(s) saw every seq exactly once (%s)", sseOk, r.sse().size(),
                r.sse().stream().map(ChaosReportPrinter::sse).reduce((x, y) -> x + "; " + y).orElse("none"));
        line(out, "latency   %s", BenchReportPrinter.percentiles(r.latency()));
        if (r.passed()) {
            line(out, "verdict   PASS: kill -9 of %s lost no job, failed none, and applied no transition twice", r.part());
        } else {
            line(out, "verdict   FAIL");
            r.problems().forEach(p -> line(out, "  - %s", p));
        }
        r.warnings().forEach(w -> line(out, "  warning: %s", w));
        return out.toString();
    }

    static String matrix(List<ChaosReport> reports) {
        StringBuilder out = new StringBuilder("\n== chaos matrix ==\n");
        TextTable table = new TextTable("PART", "BACK AFTER", "ACCEPTED", "REFUSED", "COMPLETED", "FAILED", "DEAD", "SEQ OK", "SSE OK", "VERDICT");
        for (ChaosReport r : reports) {
            JobLedger.Outcomes o = r.outcomes();
            table.row(r.part(), r.recoveredAfterMs() < 0 ? "-" : String.format(Locale.ROOT, "%.1f s", r.recoveredAfterMs() / 1000.0),
                    o.accepted(), r.http().sent() - r.http().accepted(), o.completed(), o.failed(), o.deadLettered(),
                    r.audit().clean() ? "yes" : "NO",
                    r.sse().stream().filter(s -> s.check().isEmpty()).count() + "/" + r.sse().size(),
                    r.passed() ? "PASS" : "FAIL");
        }
        table.render().lines().forEach(row -> out.append("  ").append(row).append('\n'));
        return out.toString();
    }

    private static String sse(SseFollower.Result s) {
        return s.seqs().size() + " events over " + s.connections() + " connection attempt(s)" + (s.terminal() == null ? ", no terminal" : "");
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
