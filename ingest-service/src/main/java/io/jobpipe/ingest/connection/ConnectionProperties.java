package io.jobpipe.ingest.connection;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * One {@code jobpipe.ingest.connections.<name>} entry: a URL ({@code POST /webhooks/<name>}) and how
 * its senders prove who they are.
 *
 * @param scheme  the {@link SignatureScheme#id() id} of the scheme that verifies its requests
 * @param enabled a disabled connection answers 404, like one that does not exist
 */
@EachProperty("jobpipe.ingest.connections")
public record ConnectionProperties(
        @Parameter String name,
        @Bindable(defaultValue = UnsignedScheme.ID) String scheme,
        @Bindable(defaultValue = "true") boolean enabled) {
}
