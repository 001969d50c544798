package io.jobpipe.status.bench;

import io.jobpipe.status.store.IncomingEvent;
import io.jobpipe.status.store.JobEventProjector;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * {@code StatusApplication bench-projection} ({@code ./jobpipe bench projection}): the projection's write rate
 * against a raw JDBC batch insert of the same events, in the same database and run, rounds alternating so the
 * machine's load weighs on both. Batches are the live projection's ({@code max-poll-records}), on both sides; each round
 * writes new jobs, so every batch does what a live batch does: insert events, create or update jobs and stages,
 * notify, append the feed. Issue 10's target: the projection reaches at least 50% of the raw rate.
 */
public final class ProjectionBench {
    public static final double TARGET = 0.5;
    static final int IN_FLIGHT = 200;

    private final JobEventProjector projector;
    private final int batch;
    private final RawEventInsert raw;
    private final Consumer<String> out;

    public ProjectionBench(JobEventProjector projector, int batch, String url, String user, String password,
                           Consumer<String> out) throws SQLException {
        this.projector = projector;
        this.batch = batch;
        this.raw = new RawEventInsert(url, user, password);
        this.out = out;
    }

    /** What one side did in one round. */
    record Round(int round, String side, int events, double seconds) {
        double perSecond() {
            return events / seconds;
        }
    }

    /**
     * {@code warmupRounds} full rounds each side first, printed and not counted: the projection runs far more Java than
     * the raw insert, and its first rounds ran while the JIT still compiled it (round 1 at 33,000-40,000 events/s,
     * round 3 at 46,000-47,000, where the raw side moved from 68,000-80,000 to 85,000-95,000).
     */
    public boolean run(int jobs, int rounds, int warmupRounds) throws SQLException {
        try (raw) {
            Instant t0 = Instant.now();
            out.accept("batches of " + batch + " events (max-poll-records); warm-up: " + warmupRounds + " rounds of "
                    + jobs + " jobs each side (not counted)");
            for (int w = 1; w <= warmupRounds; w++) {
                print("warm-up ", measure(w, "raw", SyntheticRuns.interleaved("warm-raw-" + w, jobs, IN_FLIGHT, t0)));
                print("warm-up ", measure(w, "projection",
                        SyntheticRuns.interleaved("warm-prj-" + w, jobs, IN_FLIGHT, t0)));
            }
            List<Round> raws = new ArrayList<>();
            List<Round> projections = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                // Alternate which side goes first, so neither always meets the database right after the other's writes.
                boolean rawFirst = r % 2 == 1;
                List<IncomingEvent> rawEvents = SyntheticRuns.interleaved("raw-" + r, jobs, IN_FLIGHT, t0);
                List<IncomingEvent> projected = SyntheticRuns.interleaved("prj-" + r, jobs, IN_FLIGHT, t0);
                if (rawFirst) {
                    raws.add(print(measure(r, "raw", rawEvents)));
                    projections.add(print(measure(r, "projection", projected)));
                } else {
                    projections.add(print(measure(r, "projection", projected)));
                    raws.add(print(measure(r, "raw", rawEvents)));
                }
            }
            double rawMedian = median(raws);
            double projectionMedian = median(projections);
            double ratio = projectionMedian / rawMedian;
            out.accept(String.format(Locale.ROOT, "RESULT raw=%.0f projection=%.0f ratio=%.3f target=%.2f %s",
                    rawMedian, projectionMedian, ratio, TARGET, ratio >= TARGET ? "PASS" : "FAIL"));
            return ratio >= TARGET;
        }
    }

    private Round measure(int round, String side, List<IncomingEvent> events) throws SQLException {
        long start = System.nanoTime();
        for (int from = 0; from < events.size(); from += batch) {
            List<IncomingEvent> chunk = events.subList(from, Math.min(events.size(), from + batch));
            if (side.equals("raw")) {
                raw.insert(chunk);
            } else {
                projector.project(chunk);
            }
        }
        if (!side.equals("raw")) {
            // The round owes the progress it has not written yet: counted in its time.
            projector.writeAllProgress(true);
        }
        return new Round(round, side, events.size(), (System.nanoTime() - start) / 1e9);
    }

    private Round print(Round round) {
        return print("", round);
    }

    private Round print(String label, Round round) {
        out.accept(String.format(Locale.ROOT, "%sround %d %-10s %7d events in %6.2f s: %8.0f events/s", label,
                round.round(), round.side(), round.events(), round.seconds(), round.perSecond()));
        return round;
    }

    private static double median(List<Round> rounds) {
        double[] rates = rounds.stream().mapToDouble(Round::perSecond).sorted().toArray();
        int mid = rates.length / 2;
        return rates.length % 2 == 1 ? rates[mid] : (rates[mid - 1] + rates[mid]) / 2;
    }
}
