package io.jobpipe.testing;

import io.jobpipe.core.kafka.Topics;
import org.junit.jupiter.api.TestInfo;

import java.util.concurrent.atomic.AtomicInteger;

/** Unique, topic-safe names per test, so tests sharing one broker and one database never share state. */
public final class TestNames {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private TestNames() {
    }

    public static String unique(TestInfo info) {
        String method = info.getTestMethod().map(m -> m.getName()).orElse("");
        String klass = info.getTestClass().map(Class::getSimpleName).orElse("test");
        String base = (klass + "-" + method).replaceAll("[^A-Za-z0-9-]", "-");
        if (base.length() > 60) {
            base = base.substring(0, 60);
        }
        return base + "-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36) + COUNTER.incrementAndGet();
    }

    /** Topics whose namespace is unique to this test. */
    public static Topics topics(TestInfo info) {
        return Topics.of(unique(info) + ".");
    }
}
