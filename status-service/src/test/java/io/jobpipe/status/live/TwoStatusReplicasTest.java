package io.jobpipe.status.live;

import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.status.SseClient;
import io.jobpipe.status.StatusTestApp;
import io.jobpipe.status.TestEvents;
import io.jobpipe.testing.KafkaFixture;
import io.jobpipe.testing.TestNames;
import io.micronaut.context.env.Environment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two status replicas on one database and one consumer group: each projects its share of the partitions, and a
 * job's SSE stream on either replica delivers every event of the job, whichever replica projected it (the
 * notification goes through PostgreSQL, not the replica's memory).
 */
class TwoStatusReplicasTest {
    private static final Instant T0 = Instant.parse("2025-09-01T10:00:00Z");
    private static Topics topics;
    private static StatusTestApp first;
    private static StatusTestApp second;

    @BeforeAll
    static void start(TestInfo info) {
        topics = TestNames.topics(info);
        first = StatusTestApp.withKafka("tworeplicas", topics.namespace(), Map.of());
        String database = first.bean(Environment.class).getProperty("datasources.default.url", String.class)
                .orElseThrow();
        second = StatusTestApp.withKafka("tworeplicas", topics.namespace(), Map.of("datasources.default.url", database));
    }

    @AfterAll
    static void stop() {
        second.close();
        first.close();
    }

    /** A job id whose records land in {@code partition} of the two (Kafka's default partitioner). */
    private static String jobOnPartition(int partition) {
        for (int i = 0; ; i++) {
            String jobId = "two-" + partition + "-" + i;
            if (Utils.toPositive(Utils.murmur2(jobId.getBytes(StandardCharsets.UTF_8))) % 2 == partition) {
                return jobId;
            }
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, List<JobEvent> events) throws Exception {
        for (JobEvent event : events) {
            producer.send(new ProducerRecord<>(topics.jobEvents.name(), event.jobId(),
                    TestEvents.json(event).getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    @Test
    void shouldFollowAJobOfEachPartitionThroughEitherReplica() throws Exception {
        List<String> jobs = List.of(jobOnPartition(0), jobOnPartition(1));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.shared().bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
            for (String jobId : jobs) {
                send(producer, TestEvents.successfulRun(jobId, T0).subList(0, 3));
            }
            for (String jobId : jobs) {
                for (StatusTestApp replica : List.of(first, second)) {
                    await().atMost(Duration.ofSeconds(30))
                            .until(() -> SseClient.get(replica.uri("/jobs/" + jobId)).status() == 200);
                }
            }

            List<SseClient> streams = new ArrayList<>();
            try {
                for (String jobId : jobs) {
                    for (StatusTestApp replica : List.of(first, second)) {
                        streams.add(SseClient.open(replica.uri("/jobs/" + jobId + "/events"), Map.of()));
                    }
                }
                for (String jobId : jobs) {
                    List<JobEvent> run = TestEvents.successfulRun(jobId, T0);
                    send(producer, run.subList(3, run.size()));
                }
                for (SseClient stream : streams) {
                    await().atMost(Duration.ofSeconds(30)).until(stream::ended);
                    assertThat(stream.ids()).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
                }
            } finally {
                streams.forEach(SseClient::close);
            }
        }
        for (String jobId : jobs) {
            for (StatusTestApp replica : List.of(first, second)) {
                assertThat(SseClient.get(replica.uri("/jobs/" + jobId)).body()).contains("\"state\":\"COMPLETED\"");
            }
        }
    }
}
