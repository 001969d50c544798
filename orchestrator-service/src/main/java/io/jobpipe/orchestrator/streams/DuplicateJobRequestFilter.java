package io.jobpipe.orchestrator.streams;

import io.jobpipe.core.event.JobRequested;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * A job id is started once: the first JobRequested of a job id passes to the job processor, a later one with the same
 * job id (ingest produced a delivery again after a 503, or two replicas raced) is dropped for
 * {@link #REMEMBERED} after the first, long after the job itself left the {@code job-state} store.
 * <p>In: {@code jobpipe.jobs.requested} (key jobId, value JobRequested); out: the same record, unchanged, to the job
 * processor. State: {@value OrchestratorTopology#SEEN_JOB_REQUESTS_STORE}, a window store (jobId → nothing, at the
 * orchestrator's clock, not the record's: a producer's skewed clock must neither expire every id it remembers nor
 * keep one from being remembered) whose segments older than its retention are dropped whole, so forgetting costs no
 * scan; changelogged and committed in the same EOS transaction as the job's first transition. Anything the job
 * processor would skip (not a JobRequested, or keyed by something other than its job id) passes through untouched
 * and is not remembered, so it cannot block the real request for that key.
 */
final class DuplicateJobRequestFilter implements Processor<String, Object, String, Object> {
    private static final Logger LOG = LoggerFactory.getLogger(DuplicateJobRequestFilter.class);
    /** At least as long as ingest remembers deliveries (jobpipe.ingest.dedup.retention, 7 days or more). */
    static final Duration REMEMBERED = Duration.ofDays(8);
    private static final byte[] SEEN = new byte[0];

    private ProcessorContext<String, Object> context;
    private WindowStore<String, byte[]> seen;

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.seen = context.getStateStore(OrchestratorTopology.SEEN_JOB_REQUESTS_STORE);
    }

    @Override
    public void process(Record<String, Object> record) {
        if (!(record.value() instanceof JobRequested requested) || !requested.jobId().equals(record.key())) {
            context.forward(record);
            return;
        }
        try (WindowStoreIterator<byte[]> earlier = seen.fetch(record.key(), 0L, Long.MAX_VALUE)) {
            if (earlier.hasNext()) {
                LOG.info("ignoring a second JobRequested for job {}: a job id is started once", record.key());
                return;
            }
        }
        seen.put(record.key(), SEEN, context.currentSystemTimeMs());
        context.forward(record);
    }
}
