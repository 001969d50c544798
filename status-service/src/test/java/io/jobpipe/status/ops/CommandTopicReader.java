package io.jobpipe.status.ops;

import io.jobpipe.core.event.OpsCommand;
import io.jobpipe.core.kafka.Topic;

import java.util.List;

/** Reads everything on the ops command topic, read_committed, as the orchestrator would. */
public final class CommandTopicReader extends TopicReader<OpsCommand> {

    public CommandTopicReader(Topic<OpsCommand> topic) {
        super(topic);
    }

    /** The commands of {@code jobId} read so far, after one more poll. */
    public List<OpsCommand> commandsOf(String jobId) {
        return valuesOf(jobId);
    }
}
