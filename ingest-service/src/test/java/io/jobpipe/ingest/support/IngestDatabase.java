package io.jobpipe.ingest.support;

import io.jobpipe.testing.PostgresFixture;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Map;

/**
 * Gives every ingest test class a fresh PostgreSQL database for the delivery ledger, before its application context
 * starts: registered for all test classes (junit-platform.properties enables extension autodetection), so a test
 * needs no datasource settings of its own and never sees another class's deliveries. It sets the datasource as
 * system properties, which Micronaut reads over application.yml; a test that starts a second context (a restart, a
 * second replica) shares the class's database through them.
 */
public final class IngestDatabase implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        properties(PostgresFixture.shared().createDatabase("ingest_" + context.getRequiredTestClass().getSimpleName()))
                .forEach(System::setProperty);
    }

    /** The datasource settings of ingest for the database at {@code jdbcUrl} of the shared fixture. */
    public static Map<String, String> properties(String jdbcUrl) {
        return Map.of("datasources.default.url", jdbcUrl,
                "datasources.default.username", PostgresFixture.shared().username(),
                "datasources.default.password", PostgresFixture.shared().password());
    }

    /** The JDBC URL the current test class's contexts use. */
    public static String currentJdbcUrl() {
        return System.getProperty("datasources.default.url");
    }
}
