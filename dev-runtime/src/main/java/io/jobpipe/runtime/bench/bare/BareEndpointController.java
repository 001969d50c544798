package io.jobpipe.runtime.bench.bare;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;

/**
 * The baseline of {@code ./jobpipe bench ingest}: reads the body and answers 202, nothing else. Present only with
 * {@code jobpipe.bench.bare-endpoint=true}, so the services' test contexts (dev-runtime is on their test classpath
 * through test-support) never see it.
 */
@Controller
@Requires(property = BareEndpoint.ENABLED, value = "true")
public class BareEndpointController {
    @Post(uri = "/webhooks/{connection}", consumes = MediaType.ALL, produces = MediaType.ALL)
    public HttpResponse<?> accept(String connection, @Body byte[] body) {
        return HttpResponse.status(HttpStatus.ACCEPTED);
    }
}
