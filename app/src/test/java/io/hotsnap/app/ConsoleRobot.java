package io.hotsnap.app;

import io.hotsnap.app.engine.HostList;
import io.hotsnap.coordinator.AgentConnector;
import io.hotsnap.lab.LabConfig;
import io.hotsnap.settings.Timeouts;
import java.nio.file.Path;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/** A TestFX robot driving the real console (its Application lifecycle) with a host list of the test's own. */
abstract class ConsoleRobot extends FxRobot {

    Stage stage;
    HotsnapConsole console;

    /** @param configDir where the console keeps its host list: nothing is remembered at first */
    void openConsole(Path configDir, LabConfig lab, boolean connectAtStart) throws Exception {
        openConsole(new ConsoleSettings(AgentConnector.localOnly(Timeouts.defaults()), new HostList(configDir.resolve("hosts")), lab,
                connectAtStart));
    }

    void openConsole(ConsoleSettings settings) throws Exception {
        stage = FxToolkit.registerPrimaryStage();
        console = (HotsnapConsole) FxToolkit.setupApplication(() -> new HotsnapConsole(settings));
    }

    @AfterEach
    void closeConsole() throws Exception {
        if (console != null) {
            FxToolkit.cleanupApplication(console);
        }
        FxToolkit.cleanupStages();
    }
}
