package io.jobpipe.ingest.support;

import io.jobpipe.core.event.JobRequested;
import io.jobpipe.core.kafka.Topic;

/** Reads {@code jobpipe.jobs.requested} as the orchestrator would, from a marked position ({@link TopicTail}). */
public final class JobRequestedTail extends TopicTail<JobRequested> {

    public JobRequestedTail(String bootstrapServers, Topic<JobRequested> topic) {
        super(bootstrapServers, topic);
    }
}
