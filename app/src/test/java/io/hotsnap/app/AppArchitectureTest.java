package io.hotsnap.app;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.hotsnap.coordinator.AgentConnector;
import io.hotsnap.coordinator.AgentLink;
import io.hotsnap.coordinator.ClockOffset;
import io.hotsnap.protocol.AgentHandler;
import io.hotsnap.protocol.Message;
import io.hotsnap.protocol.ProtocolCodec;
import io.hotsnap.protocol.ProtocolException;
import io.hotsnap.LayerRules;
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
                .should().dependOnClassesThat(resideInAnyPackage("io.hotsnap.agent..", "io.hotsnap.ssh..")
                        .or(assignableTo(Message.class)).or(assignableTo(AgentLink.class)).or(equivalentTo(AgentConnector.class))
                        .or(equivalentTo(ClockOffset.class)).or(equivalentTo(ProtocolCodec.class))
                        .or(equivalentTo(AgentHandler.class)).or(equivalentTo(ProtocolException.class)))
                .because("protocol logic lives in core and app.engine; the UI consumes events (by kind) and results")
                .check(appClasses);
    }

    @Test
    void consoleLogsThroughSlf4jOnly() {
        NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING.check(appClasses);
    }

    @Test
    void packagesHaveNoCycles() {
        LayerRules.noPackageCycles().check(appClasses);
    }

    @Test
    void layersUseOnlyTheLayersBelow() {
        LayerRules.layers().check(appClasses);
    }
}
