package io.hotsnap.ssh;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.hotsnap.LayerRules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Architecture rules for the SSH transport. The rules allow an empty module, so they hold (and
 * start biting) as soon as the first production class lands.
 */
class SshTransportArchitectureTest {

    private static JavaClasses sshClasses;

    @BeforeAll
    static void importSshClasses() {
        sshClasses = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.hotsnap.ssh");
    }

    @Test
    void sshTransportKnowsNoJavaFx() {
        noClasses().that().resideInAPackage("io.hotsnap.ssh..")
                .should().dependOnClassesThat().resideInAPackage("javafx..")
                .allowEmptyShould(true)
                .check(sshClasses);
    }

    @Test
    void sshTransportNeverWritesToSystemOut() {
        noClasses().that().resideInAPackage("io.hotsnap.ssh..")
                .should().accessField(System.class, "out")
                .allowEmptyShould(true)
                .check(sshClasses);
    }

    @Test
    void sshTransportLogsThroughSlf4jOnly() {
        noClasses().that().resideInAPackage("io.hotsnap.ssh..")
                .should().dependOnClassesThat().resideInAPackage("java.util.logging..")
                .allowEmptyShould(true)
                .check(sshClasses);
    }

    @Test
    void packagesHaveNoCycles() {
        LayerRules.noPackageCycles().check(sshClasses);
    }

    @Test
    void layersUseOnlyTheLayersBelow() {
        LayerRules.layers().check(sshClasses);
    }
}
