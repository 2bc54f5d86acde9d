package io.hotsnap.app;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.hotsnap.protocol.EventKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Architecture rules for the console module (its own package only; core has its own test). */
class AppArchitectureTest {

    private static JavaClasses appClasses;

    @BeforeAll
    static void importAppClasses() {
        appClasses = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.hotsnap.app");
    }

    @Test
    void consoleNeverWritesToSystemOut() {
        noClasses().that().resideInAPackage("io.hotsnap.app..")
                .should().accessField(System.class, "out")
                .because("the console logs through SLF4J; stdout belongs to the CLI's result printer")
                .check(appClasses);
    }

    @Test
    void viewsAndViewModelsReachHostsOnlyThroughTheEngine() {
        noClasses().that().haveSimpleNameEndingWith("View").or().haveSimpleNameEndingWith("ViewModel")
                .should().dependOnClassesThat(resideInAnyPackage("io.hotsnap.protocol..", "io.hotsnap.ssh..")
                        .and(not(equivalentTo(EventKind.class))))
                .because("protocol logic lives in core and app.engine; the UI consumes events (by kind) and results")
                .check(appClasses);
    }

    @Test
    void consoleLogsThroughSlf4jOnly() {
        NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING.check(appClasses);
    }
}
