package io.jobpipe.status.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.SyntheticRun;
import io.jobpipe.status.store.IncomingEvent;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link SyntheticRun}s of the seven default stages (16 events a job) as the topic carries them: {@code inFlight}
 * jobs interleaved the way many jobs running at once interleave.
 */
final class SyntheticRuns {
    static final int EVENTS_PER_JOB = SyntheticRun.events(SyntheticRun.DEFAULT_STAGES);

    private SyntheticRuns() {
    }

    /** {@code jobs} runs named {@code <prefix>-<n>}, in topic order. */
    static List<IncomingEvent> interleaved(String prefix, int jobs, int inFlight, Instant t0) {
        List<IncomingEvent> events = new ArrayList<>(jobs * EVENTS_PER_JOB);
        for (int first = 0; first < jobs; first += inFlight) {
            int last = Math.min(jobs, first + inFlight);
            for (int step = 0; step < EVENTS_PER_JOB; step++) {
                for (int n = first; n < last; n++) {
                    events.add(incoming(SyntheticRun.event(prefix + "-" + n, step, SyntheticRun.DEFAULT_STAGES, "github",
                            t0.plusMillis(n * 5L + step * 40L))));
                }
            }
        }
        return events;
    }

    private static IncomingEvent incoming(JobEvent event) {
        try {
            return new IncomingEvent(event, Json.MAPPER.writeValueAsString(event), null, "bench");
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
