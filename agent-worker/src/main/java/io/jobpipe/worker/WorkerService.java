package io.jobpipe.worker;

import io.jobpipe.core.kafka.Topics;
import io.jobpipe.support.config.TopicProvisioningProperties;
import io.jobpipe.support.kafka.KafkaClientConfigs;
import io.jobpipe.support.kafka.TopicProvisioning;
import io.jobpipe.worker.callback.CallbackUrls;
import io.jobpipe.worker.config.WorkerProperties;
import io.jobpipe.worker.config.WorkerShutdownProperties;
import io.jobpipe.worker.kafka.PoisonPublisher;
import io.jobpipe.worker.kafka.ShareGroupSetup;
import io.jobpipe.worker.kafka.StageRecordHandler;
import io.jobpipe.worker.kafka.StageRequestLoop;
import io.jobpipe.worker.kafka.StageResultPublisher;
import io.jobpipe.worker.kafka.WorkerClients;
import io.jobpipe.worker.kafka.WorkerStats;
import io.jobpipe.worker.run.AttemptWatches;
import io.jobpipe.worker.run.StageExecutor;
import io.jobpipe.worker.stages.ServedStage;
import io.jobpipe.worker.stages.ServedStages;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts the worker once the application is up: creates the topics (shared {@link TopicProvisioning}),
 * sets the share group's configs, then, for each stage it serves ({@link ServedStages}), runs
 * {@link StageRequestLoop}s subscribed to that stage's topic alone, feeding that stage's own agent pool of its
 * {@code concurrency}: as many loops as hold at most {@code jobpipe.worker.max-poll-records} records each, and
 * together no more than the pool can start at once ({@link ServedStage#recordsPerPoll}). So a stage whose agents are
 * slow or saturated holds only its own consumers and pool; the other stages go on (docs/DECISIONS.md, "Per-stage
 * concurrency"). It owns the result producer and the pools, and closes them after the loops. Kafka not reachable yet
 * is not fatal: setup is retried until it works (health says DOWN meanwhile).
 */
@Singleton
public class WorkerService {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerService.class);

    private final KafkaClientConfigs kafka;
    private final Topics topics;
    private final TopicProvisioning provisioning;
    private final TopicProvisioningProperties provisioningProperties;
    private final ServedStages stages;
    private final WorkerProperties worker;
    private final WorkerShutdownProperties shutdown;
    private final StageExecutor executor;
    private final CallbackUrls callbacks;
    private final Producer<byte[], byte[]> producer;
    private final Map<String, ExecutorService> agentPools = new LinkedHashMap<>();
    private final AttemptWatches watches;
    /** The timeout of a request that does not carry its own (it always does when the orchestrator wrote it). */
    private static final Duration DEFAULT_STAGE_TIMEOUT = Duration.ofSeconds(30);
    private final WorkerStats stats;
    private final Clock clock;
    private final Admin admin;
    private final List<StageRequestLoop> loops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private Thread bootstrap;

    public WorkerService(KafkaClientConfigs kafka, Admin admin, Topics topics, TopicProvisioning provisioning,
                         TopicProvisioningProperties provisioningProperties, ServedStages stages,
                         WorkerProperties worker, WorkerShutdownProperties shutdown, StageExecutor executor,
                         WorkerStats stats, Clock clock, CallbackUrls callbacks) {
        this.kafka = kafka;
        this.topics = topics;
        this.provisioning = provisioning;
        this.provisioningProperties = provisioningProperties;
        this.stages = stages;
        this.worker = worker;
        this.shutdown = shutdown;
        this.executor = executor;
        this.callbacks = callbacks;
        this.producer = new KafkaProducer<>(WorkerClients.resultProducer(kafka, worker));
        stages.stages().forEach(stage -> agentPools.put(stage.name(), agentPool(stage)));
        this.watches = new AttemptWatches(worker.heartbeatFraction(), DEFAULT_STAGE_TIMEOUT, clock);
        this.stats = stats;
        this.clock = clock;
        this.admin = admin;
    }

    public String groupId() {
        return WorkerClients.groupId(topics.namespace());
    }

    /** The Admin client the health check asks about the cluster; owned by this service. */
    public Admin admin() {
        return admin;
    }

    @EventListener
    public void onStartup(StartupEvent event) {
        synchronized (this) {
            if (bootstrap != null) {
                return;
            }
            bootstrap = new Thread(this::setUpAndStart, "worker-setup");
            bootstrap.setDaemon(true);
            bootstrap.start();
        }
    }

    private void setUpAndStart() {
        while (closing.getCount() > 0) {
            try {
                provisioning.ensureTopics();
                new ShareGroupSetup(admin, provisioningProperties.timeout()).configure(groupId());
                break;
            } catch (RuntimeException e) {
                stats.startupFailed(e.getMessage());
                LOG.warn("worker setup failed, retrying in {}: {}", worker.startupRetry(), e.getMessage());
                if (awaitClosing(worker.startupRetry())) {
                    return;
                }
            }
        }
        startLoops();
    }

    private synchronized void startLoops() {
        if (closing.getCount() == 0) {
            return;
        }
        StageRecordHandler handler = new StageRecordHandler(topics, executor,
                new StageResultPublisher(producer, topics.stageResults), new PoisonPublisher(producer, topics.poison, clock),
                stats, watches, callbacks);
        List<String> described = new ArrayList<>();
        for (ServedStage stage : stages.stages()) {
            String topic = topics.stage(stage.name()).name();
            List<Integer> batches = stage.recordsPerPoll(worker.maxPollRecords());
            for (int i = 0; i < batches.size(); i++) {
                String name = "stage-worker-" + stage.name() + "-" + i;
                KafkaShareConsumer<byte[], byte[]> consumer = new KafkaShareConsumer<>(WorkerClients.shareConsumer(
                        kafka, groupId(), "agent-worker-" + stage.name() + "-" + i, batches.get(i)));
                StageRequestLoop loop = new StageRequestLoop(name, consumer, List.of(topic), handler,
                        agentPools.get(stage.name()), stats, worker.pollTimeout(), worker.sendTimeout());
                Thread thread = new Thread(loop, name);
                thread.setUncaughtExceptionHandler((t, e) -> LOG.error("{} died", t.getName(), e));
                loops.add(loop);
                threads.add(thread);
                thread.start();
            }
            described.add(stage.name() + " (" + stage.concurrency() + " agents, consumers taking " + batches + ")");
        }
        stats.startupFailed(null);
        stats.phase(WorkerStats.Phase.RUNNING);
        LOG.info("agent worker running in group {}: {}", groupId(), described);
    }

    @PreDestroy
    public void stop() {
        stats.phase(WorkerStats.Phase.STOPPING);
        List<StageRequestLoop> running;
        synchronized (this) {
            closing.countDown();
            running = List.copyOf(loops);
        }
        running.forEach(StageRequestLoop::stop);
        for (StageRequestLoop loop : running) {
            try {
                if (!loop.awaitStopped(shutdown.loopTimeout())) {
                    LOG.warn("a worker thread did not stop within {}", shutdown.loopTimeout());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // Only now: every loop has awaited its last sends and committed its acknowledgements (unless one timed out).
        // The admin client is service-support's bean, closed with the context after this.
        // A queued agent task that never ran still settles its record, as not started (its loop is closing): else a
        // loop that outlived loopTimeout would renew that record's lock for good.
        agentPools.values().forEach(pool -> pool.shutdownNow().forEach(Runnable::run));
        watches.close();
        producer.close(shutdown.closeTimeout());
        stats.phase(WorkerStats.Phase.STOPPED);
    }

    /**
     * One stage's agents: its concurrency of threads (started as records come), fed by the stage's loops, which
     * acquire no more than that between them.
     */
    private static ExecutorService agentPool(ServedStage stage) {
        AtomicInteger number = new AtomicInteger();
        return Executors.newFixedThreadPool(stage.concurrency(), runnable -> {
            Thread thread = new Thread(runnable, "agent-" + stage.name() + "-" + number.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        });
    }

    private boolean awaitClosing(Duration duration) {
        try {
            return closing.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
