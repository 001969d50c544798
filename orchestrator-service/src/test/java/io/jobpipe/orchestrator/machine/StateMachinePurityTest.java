package io.jobpipe.orchestrator.machine;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The state machine stays a pure function: no Kafka, no framework, no tracing SDK. */
class StateMachinePurityTest {

    @Test
    void shouldKeepStateMachineFreeOfKafkaAndFrameworkImports() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.jobpipe.orchestrator.machine");

        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "org.apache.kafka..", "io.micronaut..", "io.opentelemetry..", "io.jobpipe.orchestrator.streams..")
                .check(classes);
    }
}
