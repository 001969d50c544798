package io.jobpipe.worker.kafka;

import io.jobpipe.worker.agent.AgentRegistry;
import io.jobpipe.worker.config.WorkerProperties;
import io.jobpipe.worker.run.AttemptWatches;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.apache.kafka.clients.producer.KafkaProducer;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A worker of one stage on a {@link StageTopicRig}, put together as {@code WorkerService} does: one handler, the
 * stage's agent pool of its concurrency, and as many poll loops as a test starts. Closing it stops the loops and closes the rest.
 */
final class RigWorker implements AutoCloseable {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final StageTopicRig rig;
    private final WorkerProperties worker;
    private final WorkerStats stats;
    private final OpenTelemetrySdk telemetry = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().build()).build();
    private final AttemptWatches watches;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ExecutorService pool;
    private final StageRecordHandler handler;
    private final List<StageRequestLoop> loops = new ArrayList<>();

    RigWorker(StageTopicRig rig, WorkerProperties worker, int concurrency, AgentRegistry agents, MeterRegistry registry) {
        this.rig = rig;
        this.worker = worker;
        this.stats = new WorkerStats(registry);
        this.watches = new AttemptWatches(worker.heartbeatFraction(), Duration.ofSeconds(30), Clock.systemUTC());
        this.producer = new KafkaProducer<>(WorkerClients.resultProducer(rig.clients, worker));
        this.pool = Executors.newFixedThreadPool(concurrency);
        this.handler = rig.handler(agents, telemetry, producer, stats, watches);
    }

    WorkerStats stats() {
        return stats;
    }

    /** Starts a poll loop of its own share consumer, on a thread called {@code name}. */
    void startLoop(String name) {
        StageRequestLoop loop = rig.loop(name, handler, pool, stats, worker);
        loops.add(loop);
        new Thread(loop, name).start();
    }

    /** Stops every loop and waits until each has committed its acknowledgements and closed its consumer. */
    void stopLoops() throws InterruptedException {
        loops.forEach(StageRequestLoop::stop);
        for (StageRequestLoop loop : loops) {
            if (!loop.awaitStopped(STOP_TIMEOUT)) {
                throw new AssertionError("a poll loop did not stop within " + STOP_TIMEOUT);
            }
        }
        loops.clear();
    }

    @Override
    public void close() throws InterruptedException {
        try {
            stopLoops();
        } finally {
            pool.shutdownNow();
            watches.close();
            producer.close(Duration.ofSeconds(5));
            telemetry.close();
        }
    }
}
