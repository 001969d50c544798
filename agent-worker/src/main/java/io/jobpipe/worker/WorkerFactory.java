package io.jobpipe.worker;

import io.jobpipe.core.tracing.Telemetry;
import io.jobpipe.worker.agent.AgentRegistry;
import io.jobpipe.worker.agent.AgentRunner;
import io.jobpipe.worker.agent.builtin.BuiltinAgents;
import io.jobpipe.worker.agent.builtin.Workspace;
import io.jobpipe.worker.config.WebhookDeliveryProperties;
import io.jobpipe.worker.config.WorkerProperties;
import io.jobpipe.worker.delivery.JdkWebhookTransport;
import io.jobpipe.worker.kafka.WorkerStats;
import io.jobpipe.worker.run.StageExecutor;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.time.Clock;

/**
 * Wires the plain classes (agents, executor) that know nothing of Micronaut. Topics and the PipelineCatalog come
 * from service-support's CoreFactory.
 */
@Factory
public class WorkerFactory {

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Singleton
    Workspace workspace(WorkerProperties properties) {
        return new Workspace(Path.of(properties.workspace()));
    }

    @Singleton
    AgentRegistry agentRegistry(Workspace workspace, WebhookDeliveryProperties webhook, Clock clock) {
        return new AgentRegistry(BuiltinAgents.create(workspace,
                new JdkWebhookTransport(webhook.connectTimeout(), webhook.requestTimeout()), clock, System::getenv));
    }

    @Singleton
    @Bean(preDestroy = "close")
    OpenTelemetrySdk openTelemetry() {
        return Telemetry.fromEnvironment("agent-worker");
    }

    @Singleton
    StageExecutor stageExecutor(AgentRegistry registry, OpenTelemetrySdk openTelemetry, Clock clock) {
        return new StageExecutor(new AgentRunner(registry), Telemetry.tracer(openTelemetry), clock);
    }

    @Singleton
    WorkerStats workerStats() {
        return new WorkerStats();
    }
}
