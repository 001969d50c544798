package io.jobpipe.worker;

import io.jobpipe.core.pipeline.PipelineCatalog;
import io.jobpipe.worker.agent.AgentRegistry;
import io.jobpipe.worker.agent.AgentRunner;
import io.jobpipe.worker.agent.SealedAgentSpecs;
import io.jobpipe.worker.agent.UserAgents;
import io.jobpipe.worker.agent.command.CommandAgents;
import io.jobpipe.worker.agent.builtin.BuiltinAgents;
import io.jobpipe.worker.agent.http.HttpAgent;
import io.jobpipe.worker.agent.builtin.Workspace;
import io.jobpipe.worker.agent.builtin.rules.RuleBook;
import io.jobpipe.worker.config.OutboundProperties;
import io.jobpipe.worker.config.WebhookDeliveryProperties;
import io.jobpipe.worker.config.WorkerProperties;
import io.jobpipe.worker.delivery.OutboundWebhookTransport;
import io.jobpipe.worker.kafka.WorkerStats;
import io.jobpipe.support.config.PipelinesProperties;
import io.jobpipe.worker.outbound.OutboundHttp;
import io.jobpipe.worker.run.StageExecutor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.opentelemetry.api.trace.Tracer;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

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

    /** Every call that leaves the worker goes through this one client, behind the SSRF guard. */
    @Singleton
    AgentRegistry agentRegistry(Workspace workspace, WebhookDeliveryProperties webhook, OutboundHttp outbound,
                                Clock clock, CommandAgents commandAgents, RuleBook decideRules) {
        return new AgentRegistry(BuiltinAgents.create(workspace,
                new OutboundWebhookTransport(outbound, webhook.requestTimeout()), clock, System::getenv, decideRules),
                UserAgents.load(WorkerFactory.class.getClassLoader()),
                Map.of(HttpAgent.KIND, HttpAgent.kind(outbound, clock, System::getenv), CommandAgents.KIND, commandAgents));
    }

    /** {@code command:<program>}; a relative program is relative to the pipeline file's folder. */
    @Singleton
    CommandAgents commandAgents(Workspace workspace, PipelinesProperties pipelines, PipelineCatalog catalog) {
        Optional<Path> pipelineFolder = pipelines.file().isEmpty() ? Optional.empty()
                : Optional.ofNullable(Path.of(pipelines.file()).toAbsolutePath().getParent());
        CommandAgents agents = new CommandAgents(workspace.root(), pipelineFolder, System::getenv);
        agents.check(catalog);
        return agents;
    }

    @Bean(preDestroy = "close")
    OutboundHttp outboundHttp(OutboundProperties outbound) {
        return new OutboundHttp(outbound.policy(), outbound.limits());
    }

    /** Stage requests carry inline secrets and URLs sealed: the worker opens them from its own pipeline file. */
    @Singleton
    StageExecutor stageExecutor(AgentRegistry registry, PipelineCatalog catalog, Tracer tracer, Clock clock) {
        return new StageExecutor(new AgentRunner(registry), new SealedAgentSpecs(catalog), tracer, clock);
    }

    @Singleton
    WorkerStats workerStats(MeterRegistry registry) {
        return new WorkerStats(registry);
    }
}
