package io.hotsnap.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.lab.Lab;
import io.hotsnap.lab.LabConfig;
import io.hotsnap.lab.LabException;
import io.hotsnap.lab.LabVmStatus;
import io.hotsnap.lab.SerialLog;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.Manifest;
import io.hotsnap.snapshot.SnapshotStore;
import io.hotsnap.snapshot.VmPart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.TableView;
import javafx.scene.control.TreeCell;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The console as an administrator uses it, against real QEMU: start the local lab from the window,
 * tick its VMs, take a hold snapshot through the dialog, watch every VM reach "committed" with the
 * charts filled, then open the snapshot again from the catalog. Saves screenshots on the way
 * ({@value #SHOTS_PROPERTY}, default {@code target/screenshots}; {@code docs/screenshots.sh} runs
 * this under Xvfb for the README's).
 */
class ConsoleLabIT extends ConsoleRobot {

    static final String SHOTS_PROPERTY = "hotsnap.screenshots";
    /** A lab of its own (names, bridge, subnet) so it never meets an administrator's or another test's. */
    private static final LabConfig LAB = LabConfig.defaults().withVms(3).withDirtyMiBps(ConsoleSettings.LAB_DIRTY_MIBPS)
            .withDir(LabConfig.defaults().socketDir().resolve("ui-lab")).withIdentity("ui", "hsbr-ui", "10.67.0");
    private static final Set<String> LAB_VMS = Set.of("ui1", "ui2", "ui3");

    @TempDir
    static Path dir;


    /** Before (a crashed earlier run's) and after (whatever happened in the test). */
    @BeforeAll
    @AfterAll
    static void noLabLeftUp() {
        try {
            new Lab(LAB, Timeouts.defaults()).down(note -> { }); // also the remains of a teardown cut short
        } catch (LabException e) {
            // no lab there: nothing to remove
        }
    }

    @BeforeEach
    void openConsoleOnThisHost() throws Exception {
        openConsole(dir, LAB, true);
    }

    @Test
    void labStartedFromTheWindowIsSnapshottedCommittedAndReplayedFromTheCatalog() throws Exception {
        Path store = dir.resolve("store");
        MainViewModel model = console.viewModel();
        await(60, () -> fx(() -> model.inventory().hosts().stream().anyMatch(HostEntry::isConnected)));

        clickOn("#" + MainView.START_LAB_ID);
        await(300, () -> fx(() -> labVms(model).size() == LAB_VMS.size() && labVms(model).stream().allMatch(VmEntry::eligible)));
        shoot("console-inventory.png");

        for (String vm : LAB_VMS.stream().sorted().toList()) {
            clickOn(checkBoxOf(vm));
        }
        assertEquals(LAB_VMS, fx(() -> Set.copyOf(model.inventory().selected().stream().map(VmEntry::name).toList())));

        // Cancel in the middle of the full copy: every host aborts, nothing is kept, every VM runs.
        clickOn("#" + MainView.SNAPSHOT_ID);
        clickOn("#" + SnapshotDialog.STORE_ID).write(store.toString());
        clickOn(SnapshotDialog.TAKE.getText());
        DashboardProbe dashboard = new DashboardProbe(this, model);
        await(120, dashboard::copying);
        clickOn("#" + MainView.CANCEL_ID);
        await(120, () -> !fx(() -> model.snapshotRunningProperty().get()));
        type(KeyCode.ESCAPE); // the dialog saying why it stopped
        assertTrue(dashboard.failed(), "cancelled dashboard says failed: " + dashboard.rows());
        assertEquals(List.of(), new SnapshotStore(store).list(), "no snapshot committed after cancel");
        try (var left = Files.list(store)) {
            assertEquals(List.of(), left.filter(Files::isDirectory).toList(), "no partial snapshot left after cancel");
        }
        // QEMU 7.2 can report "running" for a guest frozen by a cut-off stream: the guests' own ticks must go on.
        for (LabVmStatus vm : new Lab(LAB, Timeouts.defaults()).status()) {
            long before = SerialLog.lastTick(Path.of(vm.serialLog())).orElseThrow();
            await(30, () -> SerialLog.lastTick(Path.of(vm.serialLog())).orElseThrow() > before + 5);
        }
        clickOn("#" + MainView.REFRESH_ID);
        await(60, () -> fx(() -> labVms(model).size() == LAB_VMS.size()
                && labVms(model).stream().allMatch(v -> "running".equals(v.info().state()) && v.isSelected())));

        clickOn("#" + MainView.SNAPSHOT_ID);
        assertTrue(lookup("#" + SnapshotDialog.CONFIRMATION_ID).queryLabeled().getText().contains("ui1, ui2, ui3"));
        shoot(lookup("#" + SnapshotDialog.CONFIRMATION_ID).query().getScene(), "console-snapshot-dialog.png");
        clickOn(SnapshotDialog.TAKE.getText());

        // The picture of a cut in progress: every VM back to work, its memory copy under way.
        await(120, () -> dashboard.copiedAtLeast(0.2) || !fx(() -> model.snapshotRunningProperty().get()));
        shoot("console-during-snapshot.png");
        await(300, () -> !fx(() -> model.snapshotRunningProperty().get()));
        shoot("console-after-snapshot.png");

        assertTrue(dashboard.committed(), "every VM row committed: " + dashboard.rows());
        assertTrue(dashboard.chartsHoldData(), "timeline, downtime and TCP charts have data");
        String id = fx(() -> model.lastResultProperty().get().id());
        SnapshotStore snapshots = new SnapshotStore(store);
        Manifest manifest = snapshots.read(id).orElseThrow(() -> new AssertionError("no committed manifest for " + id));
        assertEquals(LAB_VMS, Set.copyOf(manifest.vms().stream().map(VmPart::name).toList()));
        for (VmPart part : manifest.vms()) {
            Path memory = snapshots.partDir(id, part.name()).resolve(part.memory().path());
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(memory), "memory image of " + part.name() + " is a secret");
        }

        clickOn("#catalogTab");
        await(60, () -> fx(() -> model.catalog().rows().stream().anyMatch(r -> r.id().equals(id))));
        TableView<CatalogRow> table = lookup("#" + CatalogView.TABLE_ID).queryTableView();
        int index = fx(() -> table.getItems().indexOf(table.getItems().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow()));
        interact(() -> table.getSelectionModel().select(index));
        shoot("console-catalog.png");
        Object live = fx(() -> model.dashboardProperty().get());
        clickOn("#" + CatalogView.OPEN_ID);
        await(30, () -> fx(() -> model.dashboardProperty().get() != live) && dashboard.committed());
        assertTrue(dashboard.chartsHoldData(), "the replayed dashboard has its charts");
        shoot("console-replayed.png");

        clickOn("#" + MainView.STOP_LAB_ID);
        // Until the console says it is done: the guests die first, their taps and bridge go after.
        await(120, () -> !fx(() -> model.busyProperty().get()) && !new Lab(LAB, Timeouts.defaults()).isUp());
        assertFalse(Files.exists(Path.of("/sys/class/net", LAB.bridge())), "the lab's bridge is gone");
    }

    private static List<VmEntry> labVms(MainViewModel model) {
        return model.inventory().hosts().stream().flatMap(h -> h.vms().stream()).filter(v -> LAB_VMS.contains(v.name())).toList();
    }

    private Node checkBoxOf(String vm) {
        return lookup(".vm-item").match((TreeCell<?> c) -> c.getItem() instanceof VmEntry v && v.name().equals(vm))
                .lookup(".check-box").query();
    }

    void shoot(String name) throws Exception {
        shoot(stage.getScene(), name);
    }

    void shoot(Scene scene, String name) throws Exception {
        Path dirOfShots = Path.of(System.getProperty(SHOTS_PROPERTY, "target/screenshots"));
        interact(() -> {
            try {
                ScreenshotWriter.write(scene, dirOfShots.resolve(name));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    static <T> T fx(Supplier<T> read) throws Exception {
        return WaitForAsyncUtils.asyncFx(read::get).get(10, TimeUnit.SECONDS);
    }

    static void await(int seconds, Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition);
    }
}
