package io.jobpipe.status.api;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.Parameters;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Schema;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an endpoint that filters jobs with {@link JobFilterParams}, and describes those query parameters in its
 * OpenAPI document: they are read from the request's parameters, so the generator cannot see them.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Parameters({
        @Parameter(name = "state", in = ParameterIn.QUERY, description = "one or more job states, comma-separated "
                + "(ACCEPTED, RUNNING, HELD, COMPLETED, FAILED, DEAD_LETTERED, CANCELLED)",
                schema = @Schema(type = "string")),
        @Parameter(name = "pipeline", in = ParameterIn.QUERY, description = "the job's pipeline",
                schema = @Schema(type = "string", maxLength = JobFilterParams.MAX_TEXT)),
        @Parameter(name = "connection", in = ParameterIn.QUERY, description = "the webhook connection it came from",
                schema = @Schema(type = "string", maxLength = JobFilterParams.MAX_TEXT)),
        @Parameter(name = "stage", in = ParameterIn.QUERY, description = "the stage it is at (current stage)",
                schema = @Schema(type = "string", maxLength = JobFilterParams.MAX_TEXT)),
        @Parameter(name = "errorClass", in = ParameterIn.QUERY, description = "the error type it failed or was "
                + "dead-lettered with ('Cancelled' when cancelled)",
                schema = @Schema(type = "string", maxLength = JobFilterParams.MAX_TEXT)),
        @Parameter(name = "since", in = ParameterIn.QUERY, description = "created at or after this instant",
                schema = @Schema(type = "string", format = "date-time")),
        @Parameter(name = "until", in = ParameterIn.QUERY, description = "created before this instant",
                schema = @Schema(type = "string", format = "date-time")),
        @Parameter(name = "q", in = ParameterIn.QUERY, description = "words of the subject (a word's prefix matches)",
                schema = @Schema(type = "string", maxLength = JobFilterParams.MAX_TEXT))
})
public @interface JobFilterQuery {
}
