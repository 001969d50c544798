package io.jobpipe.support;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The shared module serves every service and knows none of them; its pure rules stay free of the framework. */
class ArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.jobpipe.support");

    @Test
    void shouldKnowNoService() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.jobpipe.ingest..",
                "io.jobpipe.orchestrator..", "io.jobpipe.worker..", "io.jobpipe.status..", "io.jobpipe.runtime..")
                .check(classes);
    }

    @Test
    void shouldKeepProblemsAndClientDefaultsPure() {
        noClasses().that().haveSimpleName("Problems").or().haveSimpleName("Problem")
                .or().haveSimpleName("KafkaClientDefaults").or().haveSimpleName("ProducerTimeouts")
                .should().dependOnClassesThat().resideInAnyPackage("io.micronaut..")
                .check(classes);
    }

    @Test
    void shouldKeepCallbackTokensPure() {
        noClasses().that().resideInAPackage("io.jobpipe.support.callback")
                .and().haveNameNotMatching(".*CallbackSecretProperties.*")
                .should().dependOnClassesThat().resideInAnyPackage("io.micronaut..", "org.apache.kafka..",
                        "io.netty..", "java.net.http..")
                .check(classes);
    }
}
