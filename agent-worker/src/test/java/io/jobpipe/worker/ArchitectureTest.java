package io.jobpipe.worker;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Agents are pure logic: no Kafka, no HTTP client or server, no framework. The HTTP agent calls out only through the
 * worker's guarded {@code OutboundHttp}, never an HTTP library of its own.
 */
class ArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.jobpipe.worker");

    @Test
    void agentsShouldNotDependOnKafkaHttpOrMicronaut() {
        noClasses().that().resideInAPackage("io.jobpipe.worker.agent..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "java.net.http..",
                        "org.apache.hc..", "io.micronaut..", "io.jobpipe.worker.kafka..", "io.jobpipe.worker.delivery..")
                .check(classes);
    }

    @Test
    void agentsShouldNotKnowTheWorkerAroundThem() {
        noClasses().that().resideInAPackage("io.jobpipe.worker.agent..")
                .should().dependOnClassesThat().resideInAnyPackage("io.jobpipe.worker", "io.jobpipe.worker.run..",
                        "io.jobpipe.worker.config..", "io.jobpipe.worker.health..")
                .check(classes);
    }
}
