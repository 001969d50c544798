package io.jobpipe.orchestrator;

import io.jobpipe.core.runtime.ParentProcessWatch;
import io.jobpipe.support.logging.LogFormat;
import io.micronaut.runtime.Micronaut;

/** The orchestrator service: the Kafka Streams job state machine, plus /health on port 8082. */
public final class OrchestratorApplication {

    private OrchestratorApplication() {
    }

    public static void main(String[] args) {
        ParentProcessWatch.startFromEnvironment();
        Micronaut.build(args).mainClass(OrchestratorApplication.class).banner(LogFormat.configured().banner()).start();
    }
}
