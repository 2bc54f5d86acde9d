package io.hotsnap.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.lab.Lab;
import io.hotsnap.lab.LabConfig;
import io.hotsnap.lab.LabException;
import io.hotsnap.lab.LabVmStatus;
import io.hotsnap.lab.SerialLog;
import io.hotsnap.app.catalog.CatalogRow;
import io.hotsnap.app.catalog.CatalogView;
import io.hotsnap.app.restore.RestoreWizard;
import io.hotsnap.testing.Clones;
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
 * charts filled, then open the snapshot again from the catalog and restore a VM of it as a clone
 * through the wizard (and see a restore whose memory image is gone refused at preflight). Saves
 * screenshots on the way
 * ({@value #SHOTS_PROPERTY}, default {@code target/screenshots}; {@code docs/screenshots.sh} runs
 * this under Xvfb for the README's).
 */
class ConsoleLabIT extends ConsoleRobot {

    static final String SHOTS_PROPERTY = "hotsnap.screenshots";
    /** A lab of its own (names, bridge, subnet) so it never meets an administrator's or another test's. */
    private static final LabConfig LAB = LabConfig.defaults().withVms(3).withDirtyMiBps(ConsoleSettings.LAB_DIRTY_MIBPS)
            .withDir(LabConfig.defaults().socketDir().resolve("ui-lab")).withIdentity("ui", "hsbr-ui", "10.67.0");
    private static final Set<String> LAB_VMS = Set.of("ui1", "ui2", "ui3");
    private static final String CLONE = "ui1-clone";

    @TempDir
    static Path dir;


    /** Before (a crashed earlier run's) and after (whatever happened in the test). */
    @BeforeAll
    @AfterAll
    static void noLabLeftUp() {
        Clones.remove(CLONE, LAB.socketDir(), LAB.dir());
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

        restoreAsCloneThroughTheWizard(model, id);
        refusedAtPreflightWhenAMemoryImageIsGone(model, snapshots, id);
        Clones.remove(CLONE, LAB.socketDir(), LAB.dir());

        clickOn("#" + MainView.STOP_LAB_ID);
        // Until the console says it is done: the guests die first, their taps and bridge go after.
        await(120, () -> !fx(() -> model.busyProperty().get()) && !new Lab(LAB, Timeouts.defaults()).isUp());
        assertFalse(Files.exists(Path.of("/sys/class/net", LAB.bridge())), "the lab's bridge is gone");
    }

    /** ui1 as a clone from the catalog's row: every page, the checklist all green, the clone running and ticking. */
    private void restoreAsCloneThroughTheWizard(MainViewModel model, String id) throws Exception {
        clickOn("#catalogTab");
        clickOn("#" + CatalogView.RESTORE_ID);
        await(10, () -> lookup("#" + RestoreWizard.SUMMARY_ID).tryQuery().isPresent());
        assertTrue(lookup("#" + RestoreWizard.SUMMARY_ID).queryLabeled().getText().contains("Snapshot " + id), "the catalog's row is chosen");
        shootWizard("restore-1-snapshot.png");
        clickOn("#" + RestoreWizard.NEXT_ID);

        clickOn("#" + RestoreWizard.VM_ID + "ui2");
        clickOn("#" + RestoreWizard.VM_ID + "ui3");
        assertEquals(CLONE, lookup("#" + RestoreWizard.CLONE_NAME_ID + "ui1").queryTextInputControl().getText(), "default clone name");
        shootWizard("restore-2-vms.png");
        clickOn("#" + RestoreWizard.NEXT_ID);

        TableView<?> checklist = lookup("#" + RestoreWizard.CHECKLIST_ID).queryTableView();
        await(60, () -> fx(() -> checklist.getItems().size()) == 11 && !lookup("#" + RestoreWizard.NEXT_ID).queryButton().isDisabled());
        assertTrue(lookup("#" + RestoreWizard.PREFLIGHT_SUMMARY_ID).queryLabeled().getText().startsWith("All 11 checks passed"));
        shootWizard("restore-3-preflight.png");
        clickOn("#" + RestoreWizard.NEXT_ID);

        String confirmation = lookup("#" + RestoreWizard.CONFIRMATION_ID).queryLabeled().getText();
        assertTrue(confirmation.contains("as a new VM " + CLONE) && confirmation.contains("ui1 keeps running"), confirmation);
        shootWizard("restore-4-confirm.png");
        long originalPid = new Lab(LAB, Timeouts.defaults()).status().get(0).pid();
        clickOn("#" + RestoreWizard.NEXT_ID); // "Restore"

        Path cloneLog = LAB.dir().resolve(CLONE + ".serial.log");
        await(120, () -> lookup("#" + RestoreWizard.RESULT_ID).queryLabeled().getText().startsWith("Restored 1 VM"));
        await(30, () -> SerialLog.lastTick(cloneLog).isPresent());
        long firstTick = SerialLog.lastTick(cloneLog).orElseThrow();
        await(30, () -> SerialLog.lastTick(cloneLog).orElse(0) > firstTick + 5);
        shootWizard("restore-5-progress.png");
        TableView<?> progress = lookup("#" + RestoreWizard.PROGRESS_ID).queryTableView();
        io.hotsnap.app.restore.VmProgress row = fx(() -> (io.hotsnap.app.restore.VmProgress) progress.getItems().get(0));
        assertEquals("running", fx(() -> row.phase().get()));
        // A clone shares ui1's MAC and IP, so its NIC joins no network: no TCP figure, and the page says why.
        assertTrue(fx(() -> row.tcp().get()).startsWith("not measured: clones have no network of their own"), fx(() -> row.tcp().get()));
        assertEquals(originalPid, new Lab(LAB, Timeouts.defaults()).status().get(0).pid(), "ui1 itself runs on, untouched");
        clickOn("#" + RestoreWizard.CANCEL_ID); // "Close"
        await(60, () -> fx(() -> model.inventory().hosts().stream().flatMap(h -> h.vms().stream()).anyMatch(v -> v.name().equals(CLONE))));
    }

    /** ui2 in place with its memory image deleted: red with the file named, Next disabled, cancelled with nothing started. */
    private void refusedAtPreflightWhenAMemoryImageIsGone(MainViewModel model, SnapshotStore snapshots, String id) throws Exception {
        VmPart ui2 = snapshots.read(id).orElseThrow().vms().stream().filter(p -> p.name().equals("ui2")).findFirst().orElseThrow();
        Path memory = snapshots.partDir(id, "ui2").resolve(ui2.memory().path());
        Files.delete(memory);
        long ui2Pid = new Lab(LAB, Timeouts.defaults()).status().get(1).pid();
        List<Path> labFiles = Clones.filesIn(LAB.dir());

        clickOn("#" + CatalogView.RESTORE_ID);
        await(10, () -> lookup("#" + RestoreWizard.NEXT_ID).tryQuery().isPresent());
        clickOn("#" + RestoreWizard.NEXT_ID);
        clickOn("#" + RestoreWizard.VM_ID + "ui1");
        clickOn("#" + RestoreWizard.VM_ID + "ui3");
        clickOn("#" + RestoreWizard.CLONE_ID + "ui2"); // in place: the riskiest choice, stopped by the checklist
        clickOn("#" + RestoreWizard.NEXT_ID);
        await(60, () -> lookup("#" + RestoreWizard.PREFLIGHT_SUMMARY_ID).queryLabeled().getText().contains("checks failed"));
        String reasons = lookup("#" + RestoreWizard.PREFLIGHT_SUMMARY_ID).queryLabeled().getText();
        assertTrue(reasons.contains("ui2 on local: files present — memory image " + memory + " is missing"), reasons);
        assertTrue(lookup("#" + RestoreWizard.NEXT_ID).queryButton().isDisabled(), "Next is disabled while a check is red");
        shootWizard("restore-3-preflight-failed.png");
        clickOn("#" + RestoreWizard.CANCEL_ID);
        assertEquals(ui2Pid, new Lab(LAB, Timeouts.defaults()).status().get(1).pid(), "ui2 was not touched");
        assertEquals(labFiles, Clones.filesIn(LAB.dir()), "nothing was made");
    }

    private void shootWizard(String name) throws Exception {
        shoot(lookup("#restoreWizard").query().getScene(), name);
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
