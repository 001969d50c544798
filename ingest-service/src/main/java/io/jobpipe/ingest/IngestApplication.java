package io.jobpipe.ingest;

import io.jobpipe.core.runtime.ParentProcessWatch;
import io.micronaut.runtime.Micronaut;

/** The HTTP front door: a webhook becomes a {@code JobRequested} in Kafka, or a clear problem response. */
public final class IngestApplication {
    private IngestApplication() {
    }

    public static void main(String[] args) {
        ParentProcessWatch.startFromEnvironment();
        Micronaut.run(IngestApplication.class, args);
    }
}
