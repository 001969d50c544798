package io.jobpipe.runtime.bench;

import java.time.Instant;
import java.util.List;

/**
 * Every figure of one benchmark run, as printed and as written by {@code --json}. Times are milliseconds.
 *
 * @param baseline    the raw Kafka hop measured in the same run, or null when skipped
 * @param statusCheck the status service's view of every accepted job, or null when skipped
 * @param comparison  the pipeline against the baseline, or null without a baseline or without completions
 * @param cpu         CPU per part at idle and per job under load, or null when not measured
 * @param passed      true when every accepted job ended COMPLETED (on the topic, and on the status service if checked)
 * @param problems    why {@code passed} is false
 * @param warnings    odd but not loss: refused requests, event-stream irregularities, other traffic
 */
public record BenchReport(Instant startedAt, String runId, Settings settings, BaselineHop.Result baseline,
                          Ingest ingest, EndToEnd endToEnd, Accounting accounting,
                          StatusCrossCheck.Result statusCheck, Comparison comparison,
                          List<JobLedger.StageBreakdown> stages, CpuCost cpu, boolean passed, List<String> problems,
                          List<String> warnings) {

    public record Settings(String ingestUrl, String statusUrl, String bootstrapServers, String jobEventsTopic,
                           int jobEventsPartitions, String connection, String body, int bodyBytes,
                           double ratePerSecond, int count, int concurrency, long drainTimeoutMs) {
    }

    /**
     * @param acceptedPerSecond accepted ÷ (last answer − first scheduled send)
     * @param http              counts and latencies: {@code ackLatency} from the scheduled send time (what a sender
     *                          on this schedule experiences), {@code serviceTime} from the actual send, and
     *                          {@code sendLag} how late the bench itself fired
     */
    public record Ingest(double acceptedPerSecond, WebhookLoad.Counts http) {
    }

    /**
     * @param latency    bench saw JobCompleted − scheduled send time, over completed jobs
     * @param inPipeline JobAccepted.occurredAt → JobCompleted.occurredAt (orchestrator clock)
     */
    public record EndToEnd(LatencySummary latency, LatencySummary inPipeline, int stages) {
    }

    public record Accounting(JobLedger.Outcomes outcomes, long drainTimeoutMs, long eventsRead, long undecodableEvents) {
    }

    /**
     * @param perStageHopMs    end-to-end p50 ÷ stages: the average cost of one stage of the pipeline
     * @param ratioToBaseline  perStageHopMs ÷ baseline p50
     * @param kafkaHopsPerJob  the fewest Kafka hops a job of {@code stages} stages needs: request, 2 per stage, event
     * @param hopFloorMs       kafkaHopsPerJob × baseline p50: the end-to-end p50 if each hop cost only a raw hop
     */
    public record Comparison(int stages, double endToEndP50Ms, double perStageHopMs, double baselineP50Ms,
                             double ratioToBaseline, int kafkaHopsPerJob, double hopFloorMs, double endToEndOverFloor) {

        public static Comparison of(int stages, double endToEndP50Ms, double baselineP50Ms) {
            double perStage = endToEndP50Ms / stages;
            int hops = 2 * stages + 2;
            double floor = hops * baselineP50Ms;
            return new Comparison(stages, endToEndP50Ms, perStage, baselineP50Ms,
                    baselineP50Ms > 0 ? perStage / baselineP50Ms : 0, hops, floor, floor > 0 ? endToEndP50Ms / floor : 0);
        }
    }
}
