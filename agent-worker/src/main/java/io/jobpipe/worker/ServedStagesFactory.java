package io.jobpipe.worker;

import io.jobpipe.core.pipeline.PipelineCatalog;
import io.jobpipe.support.config.PipelinesProperties;
import io.jobpipe.worker.agent.builtin.rules.DecideRulesCheck;
import io.jobpipe.worker.agent.builtin.rules.RuleBook;
import io.jobpipe.worker.config.WorkerProperties;
import io.jobpipe.worker.stages.ServedStages;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this worker serves, checked when the application starts (eager beans: a mistake stops the process with its
 * message, before it consumes anything): the stages named by {@code jobpipe.worker.stages} must exist, and the decide
 * rules of the stages it serves must compile.
 */
@Factory
public class ServedStagesFactory {
    private static final Logger LOG = LoggerFactory.getLogger(ServedStagesFactory.class);

    @Context
    ServedStages servedStages(PipelineCatalog catalog, WorkerProperties worker) {
        return ServedStages.select(catalog, worker.stages());
    }

    /** The compiled decide rules, relative to the pipeline file; refuses to start on a rule that does not compile. */
    @Context
    RuleBook ruleBook(PipelinesProperties pipelines, PipelineCatalog catalog, ServedStages stages) {
        RuleBook book = RuleBook.forPipelineFile(pipelines.file());
        int checked = DecideRulesCheck.check(catalog, stages.names(), book);
        if (checked > 0) {
            LOG.info("decide rules of {} stage(s) compiled", checked);
        }
        return book;
    }
}
