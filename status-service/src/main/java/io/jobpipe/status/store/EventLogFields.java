package io.jobpipe.status.store;

import io.jobpipe.core.event.JobEvent;
import io.jobpipe.support.logging.LogContext;

/** The log fields of a job event: its job, its trace, and the stage and attempt it is about, where it names them. */
public final class EventLogFields {

    private EventLogFields() {
    }

    /** Opens a {@link LogContext} with the event's fields; close it when the event is done with. */
    public static LogContext of(IncomingEvent incoming) {
        JobEvent event = incoming.event();
        LogContext context = LogContext.open().jobId(event.jobId()).traceId(incoming.traceId());
        if (event instanceof JobEvent.StageDispatched e) {
            context.stage(e.stage()).attempt(e.attempt());
        } else if (event instanceof JobEvent.StageCompleted e) {
            context.stage(e.stage()).attempt(e.attempt());
        } else if (event instanceof JobEvent.StageAttemptFailed e) {
            context.stage(e.stage()).attempt(e.attempt());
        } else if (event instanceof JobEvent.LateResultIgnored e) {
            context.stage(e.stage()).attempt(e.attempt());
        } else if (event instanceof JobEvent.JobFailed e) {
            context.stage(e.stage());
        } else if (event instanceof JobEvent.JobDeadLettered e) {
            context.stage(e.stage()).attempt(e.attempts());
        } else if (event instanceof JobEvent.JobHeld e) {
            context.stage(e.stage()).attempt(e.attempt());
        } else if (event instanceof JobEvent.JobReleased e) {
            context.stage(e.stage());
        } else if (event instanceof JobEvent.JobCancelled e) {
            context.stage(e.stage());
        }
        return context;
    }
}
