package io.jobpipe.status.consumer;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.status.StatusTestApp;
import io.jobpipe.support.kafka.KafkaClientConfigs;
import io.jobpipe.support.kafka.TopicProvisioning;
import io.jobpipe.testing.TestNames;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Closing a topic reader is quiet and quick: while it reads (a stop of status), and while it pauses between attempts
 * on a topic that does not exist yet.
 */
class AssignedTopicReaderTest {
    private static final String THREAD = "test-reader-";
    private static Topics topics;
    private static StatusTestApp app;

    @BeforeAll
    static void start(TestInfo info) {
        topics = TestNames.topics(info);
        app = StatusTestApp.withKafka("reader-close", topics.namespace(), Map.of());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    /** Counts what the loop reports. */
    private static final class Counting implements AssignedTopicReader.Reader {
        final AtomicInteger assigned = new AtomicInteger();
        final AtomicInteger missing = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();

        @Override
        public void read(ConsumerRecords<String, byte[]> records) {
        }

        @Override
        public void assigned(int partitions) {
            assigned.incrementAndGet();
        }

        @Override
        public void missing() {
            missing.incrementAndGet();
        }

        @Override
        public void failed(RuntimeException failure) {
            failed.incrementAndGet();
        }
    }

    private static AssignedTopicReader reader(String topic, Counting counting) {
        return new AssignedTopicReader(THREAD + topic, "test-reader", topic, AssignedTopicReader.Start.END,
                counting, app.bean(KafkaClientConfigs.class), app.bean(TopicProvisioning.class),
                Duration.ofMillis(500), Duration.ofSeconds(30), Map.of());
    }

    /**
     * Runs {@code close} and returns what the reader's thread (its loop, its Kafka consumer) logged at WARN or above
     * meanwhile; the test app's own threads are left out.
     */
    private static List<ILoggingEvent> loggedWhile(Runnable close) {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        root.addAppender(lines);
        try {
            close.run();
        } finally {
            root.detachAppender(lines);
        }
        return lines.list.stream()
                .filter(line -> line.getThreadName().startsWith(THREAD) && line.getLevel().isGreaterOrEqual(Level.WARN))
                .toList();
    }

    @Test
    void shouldCloseWhileReadingWithoutAnErrorFromTheConsumer() {
        Counting counting = new Counting();
        AssignedTopicReader reader = reader(topics.jobEvents.name(), counting);
        reader.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> counting.assigned.get() == 1);

        long start = System.nanoTime();
        List<ILoggingEvent> warnings = loggedWhile(reader::close);

        // Before: "Failed to close fetcher with a timeout(ms)=30000 java.lang.InterruptedException" at ERROR.
        assertThat(warnings).extracting(ILoggingEvent::getFormattedMessage).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(counting.failed.get()).isZero();
    }

    @Test
    void shouldEndAPauseBetweenAttemptsAtOnceWhenClosed() {
        Counting counting = new Counting();
        AssignedTopicReader reader = reader(topics.namespace() + "jobpipe.not-there", counting);
        reader.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> counting.missing.get() >= 1);

        long start = System.nanoTime();
        List<ILoggingEvent> warnings = loggedWhile(reader::close);

        assertThat(warnings).extracting(ILoggingEvent::getFormattedMessage).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(counting.assigned.get()).isZero();
    }
}
