package io.jobpipe.support.config;

import io.jobpipe.core.kafka.Topics;
import io.jobpipe.core.pipeline.PipelineCatalog;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicsPropertiesTest {

    @Test
    void shouldGiveEveryServiceTheSameTopicNamesWhenTheNamespaceHasAStraySpace() {
        // Every service binds jobpipe.topics through this one record (the services keep no copy of it).
        try (ApplicationContext context = ApplicationContext.run(Map.of("jobpipe.topics.namespace", " team-a. "))) {
            Topics topics = context.getBean(Topics.class);
            List<String> stages = context.getBean(PipelineCatalog.class).allStageNames().stream().toList();

            assertThat(topics.namespace()).isEqualTo("team-a.");
            assertThat(topics.allNames(stages)).isEqualTo(Topics.of("team-a.").allNames(stages));
            assertThat(topics.jobsRequested.name()).isEqualTo("team-a.jobpipe.jobs.requested");
        }
    }

    @Test
    void shouldDefaultToNoNamespaceSixPartitionsOneReplicaAndAutoCreate() {
        try (ApplicationContext context = ApplicationContext.run()) {
            TopicsProperties properties = context.getBean(TopicsProperties.class);

            assertThat(properties).isEqualTo(new TopicsProperties("", 6, (short) 1, true));
            assertThat(context.getBean(Topics.class)).isSameAs(Topics.DEFAULT);
            assertThat(context.getBean(PipelinesProperties.class).file()).isEmpty();
        }
    }

    @Test
    void shouldRefuseZeroPartitions() {
        assertThatThrownBy(() -> new TopicsProperties("", 0, (short) 1, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partitions");
    }
}
