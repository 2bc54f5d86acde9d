package io.hotsnap.app.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.app.dashboard.FxThread;
import io.hotsnap.protocol.DoctorResult;
import io.hotsnap.protocol.HostCheck;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * The host check dialog on recorded lines: every line shown with its status marked, the summary
 * counts them, and "Check again" asks the host again.
 */
class HostCheckDialogTest extends FxRobot {

    private static final DoctorResult KVM1 = new DoctorResult("kvm1", List.of(
            HostCheck.ok("Java", HostCheck.ALL_MODES, "Java 17.0.15"),
            HostCheck.warn("tcpdump", HostCheck.CLUSTER_MODES, "not on PATH", "apt-get install tcpdump"),
            HostCheck.fail("nftables", List.of("precopy", "stopcopy"), "no nft on PATH", "apt-get install nftables")));

    private final AtomicInteger asked = new AtomicInteger();
    private HostCheckDialog dialog;

    @BeforeEach
    void open() throws Exception {
        FxToolkit.registerPrimaryStage();
        FxThread.call(() -> {
            HostCheckViewModel model = new HostCheckViewModel("kvm1", () -> {
                asked.incrementAndGet();
                return CompletableFuture.completedFuture(KVM1);
            }, Runnable::run);
            dialog = new HostCheckDialog(model);
            dialog.getDialogPane().getStylesheets().add(HostCheckDialogTest.class.getResource("/io/hotsnap/app/hotsnap.css").toExternalForm());
            dialog.show();
            model.run();
            return null;
        });
    }

    @AfterEach
    void close() throws Exception {
        FxThread.call(() -> {
            dialog.close();
            return null;
        });
        FxToolkit.cleanupStages();
    }

    @Test
    void everyLineIsShownWithItsStatusAndFixAndTheSummaryCountsThem() throws Exception {
        TableView<HostCheck> table = lookup("#" + HostCheckDialog.LINES_ID).queryTableView();
        assertEquals(KVM1.checks(), FxThread.call(() -> List.copyOf(table.getItems())));
        assertEquals("kvm1: 1 ok, 1 warn, 1 fail — some modes cannot run here; each failing line says how to fix it",
                lookup("#" + HostCheckDialog.SUMMARY_ID).queryLabeled().getText());
        assertTrue(lookup(".check-red").queryAll().stream().anyMatch(n -> n.isVisible()), "the failing line is marked red");
        assertTrue(lookup(".check-warn").queryAll().stream().anyMatch(n -> n.isVisible()), "the warning is marked");
        assertTrue(lookup("apt-get install nftables").tryQuery().isPresent(), "the fix is shown");

        clickOn("#" + HostCheckDialog.AGAIN_ID);
        assertEquals(2, asked.get(), "Check again asks the host again");
    }
}
