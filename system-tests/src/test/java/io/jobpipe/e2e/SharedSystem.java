package io.jobpipe.e2e;

import io.jobpipe.runtime.infra.FreePorts;
import io.jobpipe.runtime.supervisor.JobpipeRuntime;
import io.jobpipe.runtime.supervisor.RuntimeOptions;
import io.jobpipe.testing.OtlpTraceReceiver;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One system, as {@code ./jobpipe up} runs it with the built-in catalog, shared by the end-to-end classes that need
 * nothing of their own ({@code @ExtendWith(SharedSystem.class)}): started before the first of them, stopped once the
 * whole run ends. A system start is most of such a class's time, so sharing one saves a start per class. What each
 * class needs is switched on for all: JSON logs, spans exported to a collector in this JVM. The classes never share
 * a job: each starts its own and reads only those.
 */
final class SharedSystem implements BeforeAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedSystem.class);
    private static volatile Running running;

    /** The running system and what came with it. */
    record Running(JobpipeRuntime runtime, Path dataDir, OtlpTraceReceiver collector)
            implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            try {
                runtime.close();
            } finally {
                collector.close();
                ExampleSystem.deleteQuietly(dataDir);
            }
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        running = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Running.class, key -> start(),
                Running.class);
    }

    /** The shared system; only inside a class extended with this. */
    static Running get() {
        Running system = running;
        if (system == null) {
            throw new IllegalStateException("no shared system: extend the test class with @ExtendWith(SharedSystem.class)");
        }
        return system;
    }

    private static Running start() {
        OtlpTraceReceiver collector = OtlpTraceReceiver.start();
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("jobpipe-e2e-shared-");
        } catch (IOException e) {
            collector.close();
            throw new UncheckedIOException(e);
        }
        // The access log stays off: JsonLogsTest finds a job's own lines without it.
        RuntimeOptions options = new RuntimeOptions(EndToEndTest.repositoryRoot(), dataDir, FreePorts.next(),
                FreePorts.next(), FreePorts.next(), FreePorts.next(), FreePorts.next(), FreePorts.next(),
                FreePorts.next(), 3, "", "-Xms32m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1")
                .withServiceEnvironment(Map.of(
                        "JOBPIPE_LOG_FORMAT", "json",
                        "OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint(),
                        // Export every 200 ms instead of every 5 s, so TraceTreeTest waits less.
                        "OTEL_BSP_SCHEDULE_DELAY", "200"));
        try {
            return new Running(JobpipeRuntime.start(options, line -> System.out.println("[shared] " + line)), dataDir,
                    collector);
        } catch (RuntimeException e) {
            collector.close();
            ExampleSystem.deleteQuietly(dataDir);
            throw e;
        }
    }
}
