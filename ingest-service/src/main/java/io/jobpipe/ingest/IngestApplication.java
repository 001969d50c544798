package io.jobpipe.ingest;

import io.jobpipe.core.runtime.ParentProcessWatch;
import io.jobpipe.support.logging.LogFormat;
import io.jobpipe.support.metrics.PrometheusScrapeController;
import io.jobpipe.support.openapi.OpenApiController;
import io.micronaut.openapi.annotation.OpenAPIInclude;
import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/** The HTTP front door: a webhook becomes a {@code JobRequested} in Kafka, or a clear problem response. */
@OpenAPIDefinition(info = @Info(title = "jobpipe ingest-service", version = "1",
        description = "Webhooks in (verified, deduplicated, answered 202 once durably in Kafka) and asynchronous"
                + " agents' callbacks."))
@OpenAPIInclude(classes = {PrometheusScrapeController.class, OpenApiController.class})
public final class IngestApplication {
    private IngestApplication() {
    }

    public static void main(String[] args) {
        ParentProcessWatch.startFromEnvironment();
        Micronaut.build(args).mainClass(IngestApplication.class).banner(LogFormat.configured().banner()).start();
    }
}
