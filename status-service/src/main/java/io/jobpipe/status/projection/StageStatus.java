package io.jobpipe.status.projection;

/** Where one stage of a job stands, as the status API shows it. */
public enum StageStatus {
    /** Not reached yet. */
    PENDING,
    /** An attempt was dispatched and has not reported. */
    RUNNING,
    /** An attempt failed and another one is scheduled. */
    RETRYING,
    /** Its next attempt waits, unsent, for the stage's circuit breaker (the job is HELD). */
    HELD,
    SUCCEEDED,
    /** The last attempt failed and no retry follows (a dead letter or a job failure comes next). */
    FAILED,
    /** The stage ran out of attempts; its request waits on the stage's dead-letter topic. */
    DEAD_LETTERED,
    /** An operator cancelled the job while this stage was under way (or dead-lettered). */
    CANCELLED
}
