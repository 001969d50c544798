package io.jobpipe.ingest.support;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/** Exists only in tests: a route that crashes, to see what an unhandled exception looks like to a caller. */
@Requires(env = Environment.TEST)
@Controller("/test-only")
public class FailingTestController {
    public static final String SECRET_MESSAGE = "connection string user=admin password=hunter2";

    @Get("/fail")
    public String fail() {
        throw new IllegalStateException(SECRET_MESSAGE);
    }
}
