package io.jobpipe.status.ops;

import io.jobpipe.core.kafka.Topics;
import io.jobpipe.status.StatusTestApp;
import io.jobpipe.status.store.JobEventProjector;
import io.jobpipe.support.kafka.TopicProvisioning;
import io.jobpipe.testing.TestNames;
import org.junit.jupiter.api.TestInfo;

import java.util.HashMap;
import java.util.Map;

/**
 * The status service with ops tokens on the shared broker under the test's own namespace, its topics created, a
 * client for the ops API, the projector to write job histories with, a reader of the ops command topic, and the
 * test's topics.
 */
record OpsRig(StatusTestApp app, OpsClient ops, JobEventProjector projector, CommandTopicReader commands, Topics topics)
        implements AutoCloseable {

    static OpsRig start(TestInfo info, String name, Map<String, Object> overrides) {
        Topics topics = TestNames.topics(info);
        Map<String, Object> props = new HashMap<>(overrides);
        props.put("jobpipe.ops.tokens", OpsClient.TOKENS);
        StatusTestApp app = StatusTestApp.withKafka(name, topics.namespace(), props);
        app.bean(TopicProvisioning.class).ensureTopics();
        return new OpsRig(app, new OpsClient(app), app.bean(JobEventProjector.class),
                new CommandTopicReader(topics.opsCommands), topics);
    }

    @Override
    public void close() {
        commands.close();
        app.close();
    }
}
