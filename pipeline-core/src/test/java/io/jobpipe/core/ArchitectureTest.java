package io.jobpipe.core;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Pure logic stays pure: events and pipeline definitions know nothing of Kafka, HTTP or a framework. */
class ArchitectureTest {
    private final JavaClasses core = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.jobpipe.core");

    @Test
    void eventsAndPipelinesHaveNoKafkaOrFrameworkImports() {
        noClasses().that().resideInAnyPackage("io.jobpipe.core.event..", "io.jobpipe.core.pipeline..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "io.micronaut..", "io.netty..", "io.opentelemetry..")
                .check(core);
    }
}
