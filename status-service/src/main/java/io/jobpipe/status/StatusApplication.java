package io.jobpipe.status;

import io.jobpipe.core.runtime.ParentProcessWatch;
import io.jobpipe.support.logging.LogFormat;
import io.micronaut.runtime.Micronaut;

/** Projects job events into PostgreSQL and serves the job API, including live Server-Sent Events. */
public final class StatusApplication {
    private StatusApplication() {
    }

    public static void main(String[] args) {
        ParentProcessWatch.startFromEnvironment();
        Micronaut.build(args).mainClass(StatusApplication.class).banner(LogFormat.configured().banner()).start();
    }
}
