package io.jobpipe.status.rebuild;

import io.jobpipe.core.kafka.Topics;
import io.jobpipe.status.SseClient;
import io.jobpipe.status.StatusTestApp;
import io.jobpipe.status.TestEvents;
import io.jobpipe.status.retention.Retention;
import io.jobpipe.testing.TestNames;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The configuration the README recommends: the topic keeps its events longer than the read model keeps finished
 * jobs. Once both retentions have run, the topic's oldest records are gone but so are their jobs' rows, and a
 * rebuild gives back every job the read model keeps, without {@code --allow-partial}: it checks jobs, not offsets.
 * ({@link RebuildAfterRetentionTest}: a job the read model keeps lost its events, and the rebuild is refused.)
 */
class RebuildAfterBothRetentionsTest {
    private static final Instant T0 = Instant.parse("2025-10-01T10:00:00Z");
    /** {@code StatusTestApp.withKafka}'s topics. */
    private static final int PARTITIONS = 2;
    private static Topics topics;
    private static StatusTestApp app;

    @BeforeAll
    static void start(TestInfo info) {
        topics = TestNames.topics(info);
        app = StatusTestApp.withKafka("rebuild-both-retentions", topics.namespace(), Map.of());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static int partitionOf(String jobId) {
        return BuiltInPartitioner.partitionForKey(jobId.getBytes(StandardCharsets.UTF_8), PARTITIONS);
    }

    /** A job id after {@code prefix} that the producer puts in {@code partition}. */
    private static String jobIn(String prefix, int partition) {
        for (int n = 0; ; n++) {
            if (partitionOf(prefix + n) == partition) {
                return prefix + n;
            }
        }
    }

    @Test
    void shouldRebuildWithoutAllowPartialWhenEveryJobWhoseEventsAreGoneWasDeletedByTheReadModelToo() throws Exception {
        // Both in one partition: the kept job's events follow the deleted ones there. The kept job was created (its
        // first event's time) long before its records were written, as far before the partition's first record
        // after the cut as a job could be: it counts as begun after the cut because its first event is there.
        String old = jobIn("old-job-", 0);
        String kept = jobIn("kept-job-", 0);
        Map<TopicPartition, Long> oldEnds = TopicHistory.send(topics, TestEvents.successfulRun(old, T0));
        TopicHistory.send(topics, TestEvents.successfulRun(kept, T0.plusSeconds(60)));
        for (String jobId : List.of(old, kept)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> SseClient.get(app.uri("/jobs/" + jobId)).body()
                    .contains("\"state\":\"COMPLETED\""));
        }
        // The read model's retention: the old job finished at T0 + 9 s, the kept one at T0 + 69 s.
        assertThat(app.bean(Retention.class).deleteBatch(T0.plusSeconds(30), 100).jobs()).isEqualTo(1);
        assertThat(SseClient.get(app.uri("/jobs/" + old)).status()).isEqualTo(404);
        // The topic's retention: the old job's records.
        TopicHistory.deleteBefore(oldEnds);
        List<String> progress = new CopyOnWriteArrayList<>();

        ReadModelRebuild.Report report = app.bean(ReadModelRebuild.class).rebuild(progress::add);

        assertThat(progress).anyMatch(line -> line.contains(" no longer holds its whole history: partition 0 starts at"
                + " offset ") && line.contains("every job the read model keeps began after that"));
        assertThat(progress).noneMatch(line -> line.startsWith("WARNING"));
        assertThat(report.applied()).as("the kept job's events").isEqualTo(10);
        assertThat(SseClient.get(app.uri("/jobs/" + kept)).body()).contains("\"state\":\"COMPLETED\"");
        assertThat(SseClient.get(app.uri("/jobs/" + old)).status()).isEqualTo(404);
    }
}
