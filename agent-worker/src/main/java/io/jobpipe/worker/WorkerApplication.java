package io.jobpipe.worker;

import io.jobpipe.core.runtime.ParentProcessWatch;
import io.micronaut.runtime.Micronaut;

/** The agent worker: runs each stage request's agent and publishes the result. Port 8083 (health). */
public final class WorkerApplication {
    private WorkerApplication() {
    }

    public static void main(String[] args) {
        ParentProcessWatch.startFromEnvironment();
        Micronaut.run(WorkerApplication.class, args);
    }
}
