package io.jobpipe.e2e;

import io.jobpipe.runtime.infra.FreePorts;
import io.jobpipe.runtime.supervisor.JobpipeRuntime;
import io.jobpipe.runtime.supervisor.RuntimeOptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The whole system running one example of {@code examples/<name>/}, as
 * {@code ./jobpipe up --pipelines examples/<name>/pipeline.yaml} runs it (same {@link JobpipeRuntime}), on random
 * ports in a temporary folder, with the example's fake services started first and stopped last. One per test class:
 * <pre>{@code
 * @RegisterExtension
 * static final ExampleSystem example = ExampleSystem.of("slack-slash-command").ingestReplicas(2);
 * }</pre>
 * The example's end-to-end test is {@code io.jobpipe.e2e.Example<Name>Test} ({@link #testClassName}), which
 * {@code ExamplesTest} checks every example has.
 */
final class ExampleSystem implements BeforeAllCallback, AfterAllCallback {
    static final String EXAMPLES = "examples";
    static final String PIPELINE_FILE = "pipeline.yaml";
    /**
     * The C1 compiler only: services start sooner on 2 cores, and examples are not benchmarks. The initial heap is
     * {@code ./jobpipe up}'s: with 32 MB each service ran a full collection (45–55 ms) once its ~22 MB of live data
     * filled the old generation, in the middle of the first jobs.
     */
    private static final String JAVA_OPTS = "-Xms64m -Xmx320m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";
    private static final int PARTITIONS = 2;

    private final String name;
    private int ingestReplicas = 1;
    private final Map<String, String> serviceEnvironment = new LinkedHashMap<>();
    private final List<Supplier<? extends FakeService>> fakeStarters = new ArrayList<>();
    private final List<FakeService> fakes = new ArrayList<>();
    private Path dataDir;
    private JobpipeRuntime runtime;
    private SystemHttp http;

    /** A local stand-in for a service an example talks to, on loopback, running while the system runs. */
    interface FakeService extends AutoCloseable {
        /** Environment every jobpipe service gets while this fake runs (e.g. settings that name its address). */
        default Map<String, String> serviceEnvironment() {
            return Map.of();
        }

        @Override
        void close();
    }

    private ExampleSystem(String name) {
        this.name = name;
    }

    /** The system with {@code examples/<name>/pipeline.yaml} as its pipeline catalog. */
    static ExampleSystem of(String name) {
        return new ExampleSystem(name);
    }

    /** Runs {@code count} ingest replicas (one JVM each, same broker and database); 1 by default. */
    ExampleSystem ingestReplicas(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("at least one ingest replica, not " + count);
        }
        this.ingestReplicas = count;
        return this;
    }

    /** Adds environment variables to every service. */
    ExampleSystem serviceEnvironment(Map<String, String> environment) {
        serviceEnvironment.putAll(environment);
        return this;
    }

    /** Starts a fake service before the system (its environment goes to every service) and stops it after. */
    ExampleSystem withFake(Supplier<? extends FakeService> start) {
        fakeStarters.add(start);
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dataDir = Files.createTempDirectory("jobpipe-example-" + name + "-");
        Map<String, String> environment = new LinkedHashMap<>();
        for (Supplier<? extends FakeService> starter : fakeStarters) {
            FakeService fake = starter.get();
            fakes.add(fake);
            environment.putAll(fake.serviceEnvironment());
        }
        environment.putAll(serviceEnvironment);
        List<Integer> extraIngestPorts = Stream.generate(FreePorts::next).limit(ingestReplicas - 1L).toList();
        RuntimeOptions options = new RuntimeOptions(EndToEndTest.repositoryRoot(), dataDir, FreePorts.next(),
                FreePorts.next(), FreePorts.next(), FreePorts.next(), FreePorts.next(), FreePorts.next(),
                FreePorts.next(), PARTITIONS, pipelineFile().toString(), JAVA_OPTS)
                .withServiceEnvironment(environment)
                .withExtraIngestPorts(extraIngestPorts);
        runtime = JobpipeRuntime.start(options, line -> System.out.println("[" + name + "] " + line));
        http = new SystemHttp(options);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (runtime != null) {
                runtime.close();
            }
        } finally {
            fakes.forEach(FakeService::close);
            deleteQuietly(dataDir);
        }
    }

    /** {@code <repository>/examples/<name>}. */
    Path exampleDir() {
        return exampleDir(name);
    }

    static Path exampleDir(String name) {
        return EndToEndTest.repositoryRoot().resolve(EXAMPLES).resolve(name);
    }

    Path pipelineFile() {
        return exampleDir().resolve(PIPELINE_FILE);
    }

    /** {@code slack-slash-command} → {@code io.jobpipe.e2e.ExampleSlackSlashCommandTest}. */
    static String testClassName(String exampleName) {
        return ExampleSystem.class.getPackageName() + ".Example" + Stream.of(exampleName.split("[^A-Za-z0-9]+"))
                .filter(part -> !part.isEmpty())
                .map(part -> part.substring(0, 1).toUpperCase(Locale.ROOT) + part.substring(1))
                .collect(Collectors.joining()) + "Test";
    }

    JobpipeRuntime runtime() {
        return runtime;
    }

    RuntimeOptions options() {
        return runtime.options();
    }

    /** Webhooks to the first ingest replica, job status and the ops API. */
    SystemHttp http() {
        return http;
    }

    /** Ingest replica {@code replica}'s base URL, 0 first. */
    String ingestUrl(int replica) {
        return options().ingestUrl(replica);
    }

    /** Where the worker's built-in agents write ({@code jobs/<jobId>/…}, {@code runs/<jobId>/…}). */
    Path workspace() {
        return dataDir.resolve("workspace");
    }

    /** Deletes a temporary folder and what is in it, as far as it can. */
    static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // best effort: a temp folder left behind is harmless
        }
    }
}
