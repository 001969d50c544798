package io.jobpipe.support.openapi;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Operation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi.yml}: the service's OpenAPI description, which micronaut-openapi writes at compile time from
 * the controllers ({@code META-INF/swagger/openapi.yml}), so it cannot drift from the code. Read once.
 */
@Controller(OpenApiController.PATH)
public class OpenApiController {
    public static final String PATH = "/openapi.yml";
    static final String RESOURCE = "META-INF/swagger/openapi.yml";
    static final String YAML = "application/yaml";

    private final byte[] description;

    public OpenApiController() {
        try (InputStream in = OpenApiController.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            this.description = in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    @Operation(summary = "This service's OpenAPI description")
    @Get(produces = YAML)
    public HttpResponse<byte[]> description() {
        return description == null ? HttpResponse.notFound() : HttpResponse.ok(description).contentType(YAML);
    }
}
