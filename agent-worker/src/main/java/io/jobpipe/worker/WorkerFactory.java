package io.jobpipe.worker;

import io.jobpipe.core.kafka.Topics;
import io.jobpipe.core.pipeline.PipelineCatalog;
import io.jobpipe.core.pipeline.PipelineCatalogLoader;
import io.jobpipe.worker.agent.AgentRegistry;
import io.jobpipe.worker.agent.AgentRunner;
import io.jobpipe.worker.agent.builtin.BuiltinAgents;
import io.jobpipe.worker.agent.builtin.Workspace;
import io.jobpipe.worker.config.PipelinesProperties;
import io.jobpipe.worker.config.TopicsProperties;
import io.jobpipe.worker.config.WorkerProperties;
import io.jobpipe.worker.delivery.JdkWebhookTransport;
import io.jobpipe.worker.kafka.WorkerStats;
import io.jobpipe.worker.run.StageExecutor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Factory;
import io.opentelemetry.api.trace.Tracer;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Wires the plain classes (agents, executor, producer) that know nothing of Micronaut. */
@Factory
public class WorkerFactory {

    @Singleton
    Topics topics(TopicsProperties properties) {
        return Topics.of(properties.namespaceOrEmpty());
    }

    @Singleton
    PipelineCatalog pipelineCatalog(PipelinesProperties properties) {
        return PipelineCatalogLoader.load(properties.file());
    }

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Singleton
    Workspace workspace(WorkerProperties properties) {
        return new Workspace(Path.of(properties.workspace()));
    }

    @Singleton
    AgentRegistry agentRegistry(Workspace workspace, Clock clock) {
        return new AgentRegistry(BuiltinAgents.create(workspace,
                new JdkWebhookTransport(Duration.ofSeconds(5), Duration.ofSeconds(10)), clock, System::getenv));
    }

    @Singleton
    StageExecutor stageExecutor(AgentRegistry registry, Tracer tracer, Clock clock) {
        return new StageExecutor(new AgentRunner(registry), tracer, clock);
    }

    @Singleton
    WorkerStats workerStats(MeterRegistry registry) {
        return new WorkerStats(registry);
    }
}
