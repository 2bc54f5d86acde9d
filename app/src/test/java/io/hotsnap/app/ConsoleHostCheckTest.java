package io.hotsnap.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import io.hotsnap.app.doctor.HostCheckDialog;
import io.hotsnap.app.engine.HostList;
import io.hotsnap.coordinator.AgentConnector;
import io.hotsnap.lab.LabConfig;
import io.hotsnap.protocol.HostCheck;
import io.hotsnap.settings.Timeouts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javafx.scene.control.IndexedCell;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/**
 * "Check host…" on a host of the tree: a remembered host that this console cannot reach (no SSH
 * transport in the core-only connector) is checked as one failing line that says why.
 */
class ConsoleHostCheckTest extends ConsoleRobot {

    @TempDir
    Path config;

    @BeforeEach
    void openConsoleWithAnUnreachableHost() throws Exception {
        HostList hosts = new HostList(config.resolve("hosts"));
        hosts.add(new HostList.Host("kvm9", null));
        openConsole(new ConsoleSettings(AgentConnector.localOnly(Timeouts.defaults()), hosts, LabConfig.defaults().withDir(config.resolve("lab")),
                true));
    }

    @Test
    void checkHostFromTheHostsContextMenuListsItsLines() {
        await("kvm9 refused").atMost(Duration.ofSeconds(20))
                .until(() -> console.viewModel().inventory().hosts().stream().anyMatch(h -> h.statusProperty().get().startsWith("not connected")));
        IndexedCell<?> host = lookup(".host-item").query();
        assertTrue(host.getContextMenu() != null, "the host's cell has a context menu");
        rightClickOn(host);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of(InventoryView.CHECK_HOST_TEXT), host.getContextMenu().getItems().stream().map(MenuItem::getText).toList());
        // The popup's item is fired as a click on it would: Monocle's popup windows are not found by text lookups.
        interact(() -> host.getContextMenu().getItems().get(0).fire());

        TableView<HostCheck> table = lookup("#" + HostCheckDialog.LINES_ID).queryTableView();
        await("the check's lines").atMost(Duration.ofSeconds(20)).until(() -> !table.getItems().isEmpty());
        HostCheck line = table.getItems().get(0);
        assertEquals(HostCheck.Status.FAIL, line.status());
        assertTrue(line.detail().contains("remote hosts need the SSH transport"), line.detail());
        assertTrue(lookup("#" + HostCheckDialog.SUMMARY_ID).queryLabeled().getText().startsWith("kvm9: 1 fail"),
                lookup("#" + HostCheckDialog.SUMMARY_ID).queryLabeled().getText());
        clickOn("Close");
    }
}
