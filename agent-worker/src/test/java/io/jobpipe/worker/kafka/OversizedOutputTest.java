package io.jobpipe.worker.kafka;

import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.StageResult;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.testing.KafkaFixture;
import io.jobpipe.testing.TestNames;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An agent output too large for a record fails its own attempt, clearly and not retryably, instead of a send that
 * Kafka refuses on every redelivery.
 */
class OversizedOutputTest {
    static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void shouldReportAnOutputTooLargeToSendAsANonRetryableFailureOfItsAttempt(TestInfo info) throws Exception {
        KafkaFixture kafka = KafkaFixture.shared();
        Topics topics = TestNames.topics(info);
        kafka.admin().createTopics(List.of(new NewTopic(topics.stageResults.name(), 1, (short) 1)))
                .all().get(30, TimeUnit.SECONDS);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new ByteArraySerializer(), new ByteArraySerializer());
             TopicReader results = new TopicReader(kafka.bootstrapServers(), topics.stageResults.name())) {
            StageResultPublisher publisher = new StageResultPublisher(producer, topics.stageResults, 4096);

            publisher.publish(succeeded("job_small", "x".repeat(100)), new RecordHeaders(), null).get(30, TimeUnit.SECONDS);
            publisher.publish(succeeded("job_big", "x".repeat(5000)), new RecordHeaders(), null).get(30, TimeUnit.SECONDS);

            StageResult small = read(topics, results, "job_small");
            StageResult big = read(topics, results, "job_big");
            assertThat(small).isEqualTo(succeeded("job_small", "x".repeat(100)));
            assertThat(big).isInstanceOfSatisfying(StageResult.StageFailed.class, failed -> {
                assertThat(failed.errorType()).isEqualTo(StageResultPublisher.OUTPUT_TOO_LARGE);
                assertThat(failed.retryable()).as("the same agent would return the same output").isFalse();
                assertThat(failed.message()).contains("more than the 4096 a record may have");
                assertThat(failed.stage()).isEqualTo("act");
                assertThat(failed.attempt()).isEqualTo(2);
                assertThat(failed.durationMs()).isEqualTo(15);
                assertThat(failed.log()).as("the agent's log still reaches the job's page").isEqualTo("wrote it all\n");
            });
        }
    }

    private static StageResult read(Topics topics, TopicReader results, String jobId) {
        byte[] value = results.awaitRecord(r -> jobId.equals(r.key()), Duration.ofSeconds(30)).value();
        return topics.stageResults.valueSerde().deserializer().deserialize("", value);
    }

    private static StageResult succeeded(String jobId, String text) {
        return new StageResult.StageSucceeded("evt_" + jobId, jobId, T0, "act", 2, T0, 15, "done",
                Json.MAPPER.createObjectNode().put("text", text), "wrote it all\n");
    }
}
