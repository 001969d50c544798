package io.jobpipe.worker;

import io.jobpipe.core.runtime.ParentProcessWatch;
import io.jobpipe.support.logging.LogFormat;
import io.micronaut.runtime.Micronaut;

/** The agent worker: runs each stage request's agent and publishes the result. Port 8083 (health). */
public final class WorkerApplication {
    private WorkerApplication() {
    }

    public static void main(String[] args) {
        ParentProcessWatch.startFromEnvironment();
        Micronaut.build(args).mainClass(WorkerApplication.class).banner(LogFormat.configured().banner()).start();
    }
}
