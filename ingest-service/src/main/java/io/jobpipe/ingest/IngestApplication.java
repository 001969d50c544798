package io.jobpipe.ingest;

import io.jobpipe.core.runtime.ParentProcessWatch;
import io.jobpipe.support.logging.LogFormat;
import io.micronaut.runtime.Micronaut;

/** The HTTP front door: a webhook becomes a {@code JobRequested} in Kafka, or a clear problem response. */
public final class IngestApplication {
    private IngestApplication() {
    }

    public static void main(String[] args) {
        ParentProcessWatch.startFromEnvironment();
        Micronaut.build(args).mainClass(IngestApplication.class).banner(LogFormat.configured().banner()).start();
    }
}
