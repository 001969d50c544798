package io.jobpipe.ingest.webhook;

import io.jobpipe.core.event.JobRequested;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.ingest.support.JobRequestedTail;
import io.jobpipe.ingest.support.WebhookHttp;
import io.jobpipe.testing.KafkaFixture;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Seed 004: two ingest replicas (two application contexts on their own ports, one broker) share nothing but Kafka,
 * so either can take any connection's webhook. One connection's webhooks are sent to them alternately; every one
 * is accepted and is exactly one record on {@code jobpipe.jobs.requested}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoReplicasTest {
    private final Topics topics = Topics.of("ingest-replicas-" + UUID.randomUUID().toString().substring(0, 8) + ".");
    private final List<EmbeddedServer> replicas = new ArrayList<>();
    private JobRequestedTail tail;

    @BeforeAll
    void startTwoReplicas() {
        for (int i = 0; i < 2; i++) {
            replicas.add(ApplicationContext.run(EmbeddedServer.class, Map.of(
                    "kafka.bootstrap.servers", KafkaFixture.shared().bootstrapServers(),
                    "jobpipe.topics.namespace", topics.namespace(),
                    "jobpipe.topics.partitions", "2",
                    "micronaut.server.port", "-1",
                    "jobpipe.ingest.connections.shared.scheme", "none"), "dev", "test"));
        }
        for (EmbeddedServer replica : replicas) {
            WebhookHttp http = new WebhookHttp(replica.getURI());
            await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/health").statusCode() == 200);
        }
        tail = new JobRequestedTail(KafkaFixture.shared().bootstrapServers(), topics.jobsRequested);
    }

    @BeforeEach
    void startAfterRecordsOfEarlierTests() {
        tail.markEnd();
    }

    @AfterAll
    void stopReplicas() {
        if (tail != null) {
            tail.close();
        }
        replicas.forEach(replica -> replica.getApplicationContext().close());
    }

    @Test
    void shouldAcceptEveryWebhookWhicheverReplicaItReaches() {
        assertThat(replicas.get(0).getPort()).isNotEqualTo(replicas.get(1).getPort());
        List<String> jobIds = new ArrayList<>();
        List<String> deliveries = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            EmbeddedServer replica = replicas.get(i % 2);
            String delivery = "delivery-" + UUID.randomUUID();
            HttpResponse<String> response = new WebhookHttp(replica.getURI()).post("/webhooks/shared",
                    "application/json", "{\"n\":" + i + "}", Map.of("X-GitHub-Delivery", delivery,
                            "X-GitHub-Event", "push"));

            assertThat(response.statusCode()).as("webhook %d on replica %d: %s", i, i % 2, response.body())
                    .isEqualTo(202);
            jobIds.add(WebhookHttp.json(response).get("jobId").asText());
            deliveries.add(delivery);
        }

        List<ConsumerRecord<String, JobRequested>> records = tail.readThrough(jobIds.get(jobIds.size() - 1));
        assertThat(records).extracting(ConsumerRecord::key).containsExactlyInAnyOrderElementsOf(jobIds);
        assertThat(records).extracting(r -> r.value().deliveryId()).containsExactlyInAnyOrderElementsOf(deliveries);
        assertThat(records).allSatisfy(r -> assertThat(r.value().connection()).isEqualTo("shared"));
    }
}
