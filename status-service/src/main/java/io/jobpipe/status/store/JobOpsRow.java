package io.jobpipe.status.store;

import java.time.Instant;

/**
 * A job as the ops views list it: its row, and the facts of its latest dead-lettering (null for a job that was
 * never dead-lettered).
 *
 * @param deadLettered whether the job was ever dead-lettered (it has a JobDeadLettered event)
 * @param at       when it was dead-lettered ({@code finished_at}); for a job that runs, its last change
 * @param attempts attempts the dead-lettered stage made, or null
 * @param replays  how many times it was replayed
 * @param parked   a replay after its latest dead-lettering was refused because the job hit its replay cap
 * @param lastSeq  the seq of the job's latest projected event
 */
public record JobOpsRow(String jobId, String state, String pipeline, String connection, String eventType,
                        String stage, boolean deadLettered, String errorClass, String errorMessage,
                        Integer attempts, Instant at, int replays, boolean parked, long lastSeq) {
}
