package io.hotsnap;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Architecture rules for the engine (core): no GUI, stdout only for the CLI, SLF4J for logs, the layers. */
class ArchitectureTest {

    private static JavaClasses coreClasses;

    @BeforeAll
    static void importCoreClasses() {
        coreClasses = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.hotsnap");
    }

    @Test
    void coreKnowsNoJavaFx() {
        noClasses().that().resideInAPackage("io.hotsnap..")
                .should().dependOnClassesThat().resideInAPackage("javafx..")
                .because("the engine must run headless (CLI, agent, CI); only the app module has views")
                .check(coreClasses);
    }

    @Test
    void onlyTheCliWritesToSystemOut() {
        noClasses().that().resideInAPackage("io.hotsnap..")
                .and().resideOutsideOfPackage("io.hotsnap.cli..")
                .should().accessField(System.class, "out")
                .because("stdout carries the CLI's results; everything else logs through SLF4J")
                .check(coreClasses);
    }

    @Test
    void coreLogsThroughSlf4jOnly() {
        noClasses().that().resideInAPackage("io.hotsnap..")
                .should().dependOnClassesThat().resideInAPackage("java.util.logging..")
                .because("logs go through SLF4J (slf4j-simple writes them to stderr)")
                .check(coreClasses);
    }

    @Test
    void packagesHaveNoCycles() {
        LayerRules.noPackageCycles().check(coreClasses);
    }

    @Test
    void layersUseOnlyTheLayersBelow() {
        LayerRules.layers().check(coreClasses);
    }
}
