package io.jobpipe.ingest.signature;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Signature schemes are pure logic: no framework, no Kafka, no HTTP server, and no knowledge of the intake around them. */
class SignaturePurityTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.jobpipe.ingest");

    @Test
    void schemesShouldNotDependOnFrameworkKafkaOrTheServiceAroundThem() {
        noClasses().that().resideInAPackage("io.jobpipe.ingest.signature..")
                .should().dependOnClassesThat().resideInAnyPackage("io.micronaut..", "io.netty..", "org.apache.kafka..",
                        "java.net.http..", "io.jobpipe.ingest.webhook..", "io.jobpipe.ingest.connection..",
                        "io.jobpipe.ingest.http..", "io.jobpipe.ingest.kafka..", "io.jobpipe.support..")
                .check(classes);
    }
}
