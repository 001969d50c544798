package io.jobpipe.runtime.chaos;

import io.jobpipe.runtime.bench.JobLedger;
import io.jobpipe.runtime.bench.LatencySummary;
import io.jobpipe.runtime.bench.StatusCrossCheck;
import io.jobpipe.runtime.bench.WebhookLoad;

import java.util.List;

/**
 * One chaos run: load, a {@code kill -9} of one part, the restart, the drain, and the audit.
 *
 * @param part           the part killed
 * @param killedPid      its process, killed at {@code killedAtSeconds} after the first request
 * @param restartedPid   the process that listened on its port again, or -1 if none did in time
 * @param recoveredAfterMs from the kill to the port answering again, or -1
 * @param http           what ingest answered; refused requests (503, connection refused) are not jobs
 * @param outcomes       where every accepted job ended, from the live read of the job events
 * @param audit          the exactly-once check of the job events, read again read_committed after the drain
 * @param runJobs        jobs audited: the accepted ones and those that ran although their request got no 2xx
 * @param status         the status service's state of every accepted job, or null when not checked
 * @param sse            the SSE clients that followed jobs through the kill
 * @param latency        end-to-end latency of completed jobs (the outage included)
 * @param problems       why it failed; empty when it passed
 */
public record ChaosReport(String part, long killedPid, double killedAtSeconds, long restartedPid, long recoveredAfterMs,
                          WebhookLoad.Counts http, JobLedger.Outcomes outcomes, EventStreamAudit.Findings audit,
                          long runJobs, StatusCrossCheck.Result status, List<SseFollower.Result> sse,
                          LatencySummary latency, double drainSeconds, List<String> problems, List<String> warnings) {
    public boolean passed() {
        return problems.isEmpty();
    }
}
