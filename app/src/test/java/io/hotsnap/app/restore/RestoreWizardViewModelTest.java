package io.hotsnap.app.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hotsnap.app.catalog.CatalogRow;
import io.hotsnap.app.engine.ConsoleEngine;
import io.hotsnap.net.TcpReport;
import io.hotsnap.protocol.CatalogEntry;
import io.hotsnap.protocol.ClusterEvent;
import io.hotsnap.protocol.EventKind;
import io.hotsnap.protocol.RestoreResult;
import io.hotsnap.restore.RestoreChoice;
import io.hotsnap.snapshot.Manifest;
import io.hotsnap.snapshot.SnapshotFile;
import io.hotsnap.snapshot.VmPart;
import io.hotsnap.vm.DomainRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javafx.collections.FXCollections;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The wizard's steps and wording without a host: what may go on, what the confirmation says, how events become progress. */
class RestoreWizardViewModelTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ConsoleEngine engine = new ConsoleEngine(null, null);
    private final CatalogRow row = row(Map.of("web", "local", "db", "local"));
    private final RestoreWizardViewModel model = new RestoreWizardViewModel(engine, FXCollections.observableArrayList(row),
            host -> Optional.empty(), Runnable::run);

    @AfterEach
    void close() {
        engine.close();
    }

    static CatalogRow row(Map<String, String> vmHosts) {
        return row(vmHosts, false);
    }

    private static CatalogRow row(Map<String, String> vmHosts, boolean libvirt) {
        List<VmPart> parts = List.of(part("web", libvirt), part("db", libvirt), part("cache", libvirt));
        Manifest m = new Manifest(Manifest.VERSION, "20261126-100000-abcd", "local", 1_764_151_200_000_000L, "hold", "copy",
                Manifest.COMMITTED, parts);
        return new CatalogRow(m.id(), "local", "2026-11-26 10:00", "web, db, cache", "hold", "committed", 12, 1, 0, 1 << 20, new CatalogEntry(m, null), null,
                vmHosts);
    }

    private static VmPart part(String name, boolean libvirt) {
        return new VmPart(name, "7.2.22", List.of("qemu-system-x86_64"), "/run/hotsnap/" + name + ".qmp", 256L << 20,
                new SnapshotFile("memory.img", 1, "x"), List.of(), 1, 2, 3, 4, "6.1.0-test",
                libvirt ? new DomainRecord("qemu:///system", name, "", "<domain/>") : null);
    }

    private VmChoice vm(String name) {
        return model.vms().stream().filter(v -> v.vm().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void choosingASnapshotOffersEachVmAsACloneWhereAHostKeepsItsPart() {
        assertFalse(model.canGoNext().get(), "no snapshot chosen yet");
        model.snapshotProperty().set(row);
        assertTrue(model.canGoNext().get());
        model.next();
        assertEquals(RestoreWizardViewModel.Step.VMS, model.stepProperty().get());
        assertEquals(List.of("web", "db", "cache"), model.vms().stream().map(VmChoice::vm).toList());
        assertEquals("web-clone", vm("web").cloneName().get());
        assertTrue(vm("web").asClone().get() && vm("web").selected().get());
        assertFalse(vm("cache").selected().get(), "no connected host keeps cache's part");
        assertNull(model.vmsProblemProperty().get());
        assertTrue(model.canGoNext().get());
    }

    @Test
    void vmChoicesThatCannotBeRestoredKeepNextDisabledWithTheReason() {
        model.snapshotProperty().set(row);
        model.next();
        vm("cache").selected().set(true);
        assertEquals("cache: no connected host keeps its part of this snapshot.", model.vmsProblemProperty().get());
        assertFalse(model.canGoNext().get());
        vm("cache").selected().set(false);

        vm("web").cloneName().set("web clone");
        assertEquals("web: 'web clone' is not a valid VM name (letters, digits, '.', '_', '-').", model.vmsProblemProperty().get());
        vm("web").cloneName().set("db");
        vm("db").asClone().set(false);
        assertEquals("Two VMs would run as db on local.", model.vmsProblemProperty().get());
        vm("web").selected().set(false);
        vm("db").selected().set(false);
        assertEquals("Choose at least one VM to restore.", model.vmsProblemProperty().get());
        assertFalse(model.canGoNext().get());
    }

    @Test
    void confirmationSaysPlainlyThatInPlaceDiscardsTheCurrentStateAndACloneLeavesTheOriginal() {
        model.snapshotProperty().set(row);
        vm("db").asClone().set(false);
        assertTrue(model.losesState());
        model.next();
        String text = confirmationAfterAGreenPreflight();
        assertTrue(text.contains("• web on local, as a new VM web-clone (256 MiB): web keeps running, unchanged"), text);
        assertTrue(text.contains("• db on local, IN PLACE: the running db is shut down and its current state is LOST"), text);
        assertTrue(text.contains("Press Restore to discard the current state of the VMs restored in place."), text);
    }

    /** Past the checklist (its engine call needs hosts) by the wizard's own rule: all green. */
    private String confirmationAfterAGreenPreflight() {
        RestoreWizardViewModel.Step before = model.stepProperty().get();
        assertEquals(RestoreWizardViewModel.Step.VMS, before);
        model.next(); // PREFLIGHT: no session for "local" here, so the preflight fails and Next stays disabled
        assertEquals(RestoreWizardViewModel.Outcome.FAILED, model.preflightProperty().get());
        assertEquals("Preflight could not be completed: local is not connected", model.preflightSummaryProperty().get());
        assertFalse(model.canGoNext().get(), "no checklist, no restore");
        return model.confirmationText();
    }

    @Test
    void aLibvirtDomainsCloneIsTransientUnlessPersistentIsTickedAndTheConfirmationSaysWhich() {
        CatalogRow libvirtRow = row(Map.of("web", "local", "db", "local"), true);
        RestoreWizardViewModel wizard = new RestoreWizardViewModel(engine, FXCollections.observableArrayList(libvirtRow),
                host -> Optional.empty(), Runnable::run);
        wizard.snapshotProperty().set(libvirtRow);
        VmChoice web = wizard.vms().get(0);

        assertEquals(new RestoreChoice("web", "web-clone", false), web.choice());
        assertTrue(wizard.confirmationText().contains("web-clone (256 MiB), a transient libvirt domain"), wizard.confirmationText());
        web.persistent().set(true);
        assertEquals(new RestoreChoice("web", "web-clone", true), web.choice());
        assertTrue(wizard.confirmationText().contains("web-clone (256 MiB), a persistent libvirt domain"), wizard.confirmationText());
        web.asClone().set(false);
        assertEquals(RestoreChoice.inPlace("web"), web.choice());
    }

    @Test
    void persistentMeansNothingForAVmThatWasNoLibvirtDomain() {
        model.snapshotProperty().set(row);
        vm("web").persistent().set(true);

        assertEquals(RestoreChoice.asClone("web", "web-clone"), vm("web").choice());
        assertFalse(model.confirmationText().contains("libvirt"), model.confirmationText());
    }

    @Test
    void eventsMoveEachVmThroughLoadingBarrierAndResume() {
        model.progress().setAll(VmProgress.waiting("local", "web", "web-clone"), VmProgress.waiting("local", "db", "db"));
        model.accept(event(EventKind.RESTORE, "web-clone", "loading", null));
        assertEquals("loading memory", model.progress().get(0).phase().get());
        model.accept(event(EventKind.RESTORE, "web-clone", "loaded", 812.4));
        assertEquals(List.of("loaded, paused: waiting for the barrier", "812 ms"),
                List.of(model.progress().get(0).phase().get(), model.progress().get(0).loadMs().get()));
        ClusterEvent barrier = new ClusterEvent(ClusterEvent.COORDINATOR, 1, EventKind.RESTORE, null, 5,
                JsonNodeFactory.instance.objectNode().put("phase", "barrier").put("loadMs", 900.0));
        model.accept(barrier);
        assertEquals("barrier reached: resuming", model.progress().get(1).phase().get());
        assertEquals("Every host loaded its VMs (900 ms): resuming them together…", model.restoreSummaryProperty().get());
        model.accept(event(EventKind.RESTORE, "web-clone", "resumed", null));
        model.accept(new ClusterEvent("local", 9, EventKind.ERROR, "db", 6, JsonNodeFactory.instance.objectNode().put("message", "no QMP")));
        assertEquals(List.of("running", "failed: no QMP"), model.progress().stream().map(p -> p.phase().get()).toList());
    }

    @Test
    void afterTheResumeEachVmShowsWhenItsStreamsFlowedAgainOrHonestlyWhyThereIsNoFigure() {
        model.progress().setAll(VmProgress.waiting("local", "web", "web"), VmProgress.waiting("local", "db", "db"),
                VmProgress.waiting("local", "cache", "cache"), VmProgress.waiting("local", "web", "web-clone"));
        TcpReport.Flow webToDb = new TcpReport.Flow("web", "db", "10.0.0.1:40000 > 10.0.0.2:5001", 201.4, 0, 40, List.of(), 0, 2,
                11_000_000, 0, 166.8);
        TcpReport.Flow dbToWeb = new TcpReport.Flow("db", "web", "10.0.0.2:40001 > 10.0.0.1:5001", 3000, 0, 1, List.of(), 0, 0, 0, 1, null);
        model.accept(tcp("web", data -> data.set("flows", JSON.valueToTree(List.of(webToDb, dbToWeb)))));
        model.accept(tcp("cache", data -> data.set("flows", JSON.createArrayNode())));
        model.accept(tcp("web-clone", data -> data.put("notMeasured", "clones have no network of their own")));

        assertEquals("to db: TCP resumed after 167 ms (longest stall 201 ms, 40 retransmissions); from db: no data in 3 s",
                model.progress().get(0).tcp().get());
        assertEquals("—", model.progress().get(1).tcp().get(), "db's own event has not come yet");
        assertEquals("no traffic seen in 3 s", model.progress().get(2).tcp().get());
        assertEquals("not measured: clones have no network of their own", model.progress().get(3).tcp().get());

        RestoreProgress page = new RestoreProgress();
        RestoreResult result = new RestoreResult("r1", "s1", List.of(), 900, 9.5, 0.1, new TcpReport(List.of(webToDb, dbToWeb), null, null),
                3000.0);
        page.finished(result);
        assertEquals("Restored 0 VMs: every host loaded after 900 ms, resumed together within 9.5 ms; 1 of 2 TCP streams flowed again "
                + "within 167 ms, 1 carried no data in 3 s (result kept next to the snapshot as restore-r1.json).", page.summaryProperty().get());
        page.finished(result.withTcp(TcpReport.unavailable("clones have no network of their own"), 3000));
        assertTrue(page.summaryProperty().get().contains("; TCP not measured: clones have no network of their own"), page.summaryProperty().get());
    }

    /** As the coordinator publishes it: its own stream, the VM's host in the data. */
    private static ClusterEvent tcp(String vm, java.util.function.Consumer<ObjectNode> fill) {
        ObjectNode data = JSON.createObjectNode().put("phase", "tcp").put("host", "local").put("windowMs", 3000.0);
        fill.accept(data);
        return new ClusterEvent(ClusterEvent.COORDINATOR, 2, EventKind.RESTORE, vm, 7, data);
    }

    private static ClusterEvent event(EventKind kind, String vm, String phase, Double loadMs) {
        var data = JsonNodeFactory.instance.objectNode().put("phase", phase);
        if (loadMs != null) {
            data.put("loadMs", loadMs);
        }
        return new ClusterEvent("local", 1, kind, vm, 1, data);
    }
}
