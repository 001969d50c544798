package io.jobpipe.status;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The boundaries the design rests on, checked on the compiled classes. */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("io.jobpipe.status");

    @Test
    void projectionRulesShouldBePureJava() {
        classes().that().resideInAPackage("io.jobpipe.status.projection..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.jobpipe.status.projection..",
                        "io.jobpipe.core.event..", "com.fasterxml.jackson.databind..")
                .check(CLASSES);
    }

    @Test
    void statusServiceShouldDependOnlyOnTheSharedModulesAmongJobpipeModules() {
        noClasses().that().resideInAPackage("io.jobpipe.status..")
                .should().dependOnClassesThat(resideInAPackage("io.jobpipe..")
                        .and(not(resideInAnyPackage("io.jobpipe.status..", "io.jobpipe.core..", "io.jobpipe.support.."))))
                .check(CLASSES);
    }

    @Test
    void theHttpApiShouldNotTouchKafka() {
        noClasses().that().resideInAnyPackage("io.jobpipe.status.api..", "io.jobpipe.status.live..",
                        "io.jobpipe.status.store..", "io.jobpipe.status.ops.api..", "io.jobpipe.status.ops.auth..",
                        "io.jobpipe.status.ops.command..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.kafka..")
                .check(CLASSES);
    }
}
