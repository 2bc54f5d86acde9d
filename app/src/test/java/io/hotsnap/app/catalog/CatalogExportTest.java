package io.hotsnap.app.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.testfx.api.FxAssert.verifyThat;
import static org.testfx.matcher.base.NodeMatchers.isDisabled;
import static org.testfx.matcher.control.LabeledMatchers.hasText;

import io.hotsnap.app.engine.ConsoleEngine;
import io.hotsnap.coordinator.AgentConnector;
import io.hotsnap.lab.Lab;
import io.hotsnap.lab.LabConfig;
import io.hotsnap.protocol.CatalogEntry;
import io.hotsnap.report.RecordedSnapshot;
import io.hotsnap.report.ReportFormat;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.StackPane;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * "Export report…" in the Snapshots catalog, on a real stage: the catalog's view-model is fed the
 * recorded 3-VM hold cut as an agent lists it (manifest and record), the file chooser answers with
 * a path of the test's own, and the report is written from that entry alone.
 */
class CatalogExportTest extends FxRobot {

    @TempDir
    Path dir;
    private ConsoleEngine engine;
    private CatalogViewModel model;
    private final List<String> errors = new CopyOnWriteArrayList<>();
    /** What the "file chooser" answers; empty: the user cancelled. */
    private final AtomicReference<Optional<ExportTarget>> answer = new AtomicReference<>(Optional.empty());
    private final List<String> suggested = new CopyOnWriteArrayList<>();
    private final CatalogEntry recorded = new CatalogEntry(RecordedSnapshot.manifest(), RecordedSnapshot.record());

    @BeforeEach
    void showCatalog() throws Exception {
        FxToolkit.registerPrimaryStage();
        engine = new ConsoleEngine(AgentConnector.localOnly(Timeouts.defaults()),
                new Lab(LabConfig.defaults().withDir(dir.resolve("lab")), Timeouts.defaults()));
        model = new CatalogViewModel(engine, List::of, Platform::runLater, errors::add);
        Manifest m = recorded.manifest();
        CatalogEntry second = new CatalogEntry(new Manifest(m.version(), "20261126-090000-local", m.host(), m.createdAt() + 3_000_000_000L,
                "hotsnap", m.diskMode(), m.status(), m.vms()), null);
        FxToolkit.setupStage(stage -> {
            model.rows().setAll(CatalogRow.of(second, null, Map.of()), CatalogRow.of(recorded, null, Map.of()));
            CatalogView view = new CatalogView(model, row -> { }, row -> { }, (owner, name) -> {
                suggested.add(name);
                return answer.get();
            });
            stage.setScene(new Scene(new StackPane(view.getRoot()), 1100, 400));
            stage.show();
        });
    }

    @AfterEach
    void close() throws Exception {
        FxToolkit.cleanupStages();
        engine.close();
    }

    @Test
    void exportIsDisabledUntilASnapshotIsSelected() {
        verifyThat("#" + CatalogView.EXPORT_ID, isDisabled());
    }

    @Test
    void selectedSnapshotIsWrittenAsPdfFromWhatTheAgentListed() throws Exception {
        Path file = dir.resolve("cut.pdf");
        exportRecorded(file, ReportFormat.PDF);

        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> model.exportStatusProperty().get().startsWith("Report written"));
        assertEquals(List.of("hotsnap-" + recorded.manifest().id()), suggested);
        verifyThat("#" + CatalogView.EXPORT_STATUS_ID, hasText("Report written: " + file));
        try (PDDocument doc = Loader.loadPDF(file.toFile())) {
            String text = new PDFTextStripper().getText(doc);
            assertTrue(text.contains("Snapshot " + recorded.manifest().id()), text);
            assertTrue(text.contains("orphan packets: 0 (a consistent cut)"), "the record's consistency check: " + text);
        }
        assertEquals(List.of(), errors);
    }

    @Test
    void severalSelectedAreComparedInOneHtmlPage() throws Exception {
        Path file = dir.resolve("both.html");
        answer.set(Optional.of(new ExportTarget(file, ReportFormat.HTML)));
        clickOn(recorded.manifest().id());
        press(KeyCode.SHIFT).clickOn("20261126-090000-local").release(KeyCode.SHIFT);
        clickOn("#" + CatalogView.EXPORT_ID);

        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> model.exportStatusProperty().get().startsWith("Report written"));
        assertEquals(List.of("hotsnap-comparison-2"), suggested);
        String html = Files.readString(file);
        assertTrue(html.contains("<h1>Comparison of 2 snapshots</h1>"), html);
        assertTrue(html.contains("<td>" + recorded.manifest().id() + "</td>") && html.contains("<td>20261126-090000-local</td>"), html);
    }

    @Test
    void cancelledChooserWritesNothing() throws Exception {
        clickOn(recorded.manifest().id());
        clickOn("#" + CatalogView.EXPORT_ID);
        WaitForAsyncUtils.waitForFxEvents();

        assertEquals(1, suggested.size(), "the chooser was asked");
        try (var files = Files.list(dir)) {
            assertFalse(files.anyMatch(f -> !f.getFileName().toString().equals("lab")), "no file written");
        }
        assertEquals("", model.exportStatusProperty().get());
    }

    @Test
    void unwritableTargetIsReportedAndLeavesNoFile() throws Exception {
        Path file = dir.resolve("missing-dir/cut.csv");
        exportRecorded(file, ReportFormat.CSV);

        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !errors.isEmpty());
        assertTrue(errors.get(0).startsWith("Export report: "), errors.toString());
        assertFalse(Files.exists(file));
    }

    /** Selects the recorded cut and presses "Export report…", the chooser answering {@code file} in {@code format}. */
    private void exportRecorded(Path file, ReportFormat format) {
        answer.set(Optional.of(new ExportTarget(file, format)));
        clickOn(recorded.manifest().id());
        clickOn("#" + CatalogView.EXPORT_ID);
    }
}
