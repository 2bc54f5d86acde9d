package io.hotsnap.app.restore;

import io.hotsnap.app.catalog.CatalogRow;
import io.hotsnap.app.engine.ConsoleEngine;
import io.hotsnap.app.engine.Failure;
import io.hotsnap.app.engine.HostSession;
import io.hotsnap.protocol.ClusterEvent;
import io.hotsnap.protocol.RestoreResult;
import io.hotsnap.restore.RestoreChoice;
import io.hotsnap.snapshot.VmPart;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Collectors;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The restore wizard's state and steps (issue #8): pick a committed snapshot, pick its VMs (each in
 * place or as a clone), the preflight checklist (all green to go on), a confirmation saying what is
 * lost, then live progress per VM and the result. Nothing is changed on any host before
 * {@link #next()} leaves {@link Step#CONFIRM}; preflight only reads. Properties change on the FX
 * thread only: the engine's answers and events come back through {@code fx}.
 */
public final class RestoreWizardViewModel {

    /** The wizard's pages, in order. */
    public enum Step { SNAPSHOT, VMS, PREFLIGHT, CONFIRM, PROGRESS }

    /** Where the preflight or the restore is. */
    public enum Outcome { NONE, RUNNING, DONE, FAILED }


    private final ConsoleEngine engine;
    private final Function<String, Optional<HostSession>> sessions;
    private final Executor fx;
    private final ObservableList<CatalogRow> snapshots;
    private final ObjectProperty<CatalogRow> snapshot = new SimpleObjectProperty<>(this, "snapshot");
    private final ReadOnlyObjectWrapper<Step> step = new ReadOnlyObjectWrapper<>(this, "step", Step.SNAPSHOT);
    private final ObservableList<VmChoice> vms = FXCollections.observableArrayList(
            c -> new javafx.beans.Observable[] {c.selected(), c.asClone(), c.persistent(), c.cloneName()});
    private final ReadOnlyStringWrapper vmsProblem = new ReadOnlyStringWrapper(this, "vmsProblem");
    private final ObservableList<CheckRow> checks = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<Outcome> preflight = new ReadOnlyObjectWrapper<>(this, "preflight", Outcome.NONE);
    private final ReadOnlyStringWrapper preflightSummary = new ReadOnlyStringWrapper(this, "preflightSummary", "");
    private final ReadOnlyStringWrapper confirmation = new ReadOnlyStringWrapper(this, "confirmation", "");
    private final RestoreProgress progress = new RestoreProgress();
    private final ReadOnlyObjectWrapper<Outcome> restore = new ReadOnlyObjectWrapper<>(this, "restore", Outcome.NONE);
    private final ReadOnlyObjectWrapper<RestoreResult> result = new ReadOnlyObjectWrapper<>(this, "result");
    private final BooleanBinding canGoNext;
    private final BooleanBinding canGoBack;
    /** Answers of a preflight asked for before the VMs were changed are stale: only the latest counts. */
    private int preflightRound;

    /**
     * @param snapshots the catalog's rows (committed snapshots on the connected hosts)
     * @param sessions  a connected host by the name the console gives it
     */
    public RestoreWizardViewModel(ConsoleEngine engine, ObservableList<CatalogRow> snapshots,
                                  Function<String, Optional<HostSession>> sessions, Executor fx) {
        this.engine = engine;
        this.snapshots = snapshots;
        this.sessions = sessions;
        this.fx = fx;
        snapshot.addListener((o, old, row) -> vms.setAll(row == null ? List.of()
                : row.manifest().vms().stream().map(p -> VmChoice.of(p.name(), row.vmHosts().get(p.name()), p.libvirt() != null)).toList()));
        vms.addListener((javafx.collections.ListChangeListener<VmChoice>) c -> vmsProblem.set(problemWithVms()));
        vmsProblem.set(problemWithVms());
        canGoNext = Bindings.createBooleanBinding(() -> switch (step.get()) {
            case SNAPSHOT -> snapshot.get() != null;
            case VMS -> vmsProblem.get() == null;
            case PREFLIGHT -> preflight.get() == Outcome.DONE && checks.stream().allMatch(CheckRow::ok);
            case CONFIRM -> true;
            case PROGRESS -> false;
        }, step, snapshot, vmsProblem, preflight, checks);
        canGoBack = Bindings.createBooleanBinding(() -> step.get() != Step.SNAPSHOT && step.get() != Step.PROGRESS
                && preflight.get() != Outcome.RUNNING, step, preflight);
    }

    public ObservableList<CatalogRow> snapshots() {
        return snapshots;
    }

    public ObjectProperty<CatalogRow> snapshotProperty() {
        return snapshot;
    }

    public ReadOnlyObjectProperty<Step> stepProperty() {
        return step.getReadOnlyProperty();
    }

    public ObservableList<VmChoice> vms() {
        return vms;
    }

    /** Why the VM choices cannot go on (one line), or null when they can. */
    public ReadOnlyStringProperty vmsProblemProperty() {
        return vmsProblem.getReadOnlyProperty();
    }

    public ObservableList<CheckRow> checks() {
        return checks;
    }

    public ReadOnlyObjectProperty<Outcome> preflightProperty() {
        return preflight.getReadOnlyProperty();
    }

    /** "All 14 checks passed", or the red lines' reasons, one per line. */
    public ReadOnlyStringProperty preflightSummaryProperty() {
        return preflightSummary.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty confirmationProperty() {
        return confirmation.getReadOnlyProperty();
    }

    public ObservableList<VmProgress> progress() {
        return progress.rows();
    }

    public ReadOnlyObjectProperty<Outcome> restoreProperty() {
        return restore.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty restoreSummaryProperty() {
        return progress.summaryProperty();
    }

    /** One event of the running restore, on the FX thread. */
    void accept(ClusterEvent e) {
        progress.accept(e);
    }

    public ReadOnlyObjectProperty<RestoreResult> resultProperty() {
        return result.getReadOnlyProperty();
    }

    public BooleanBinding canGoNext() {
        return canGoNext;
    }

    public BooleanBinding canGoBack() {
        return canGoBack;
    }

    /** Whether closing the wizard now changes nothing (or nothing more): not while a restore runs. */
    public boolean canClose() {
        return restore.get() != Outcome.RUNNING;
    }

    /** Does any chosen VM replace the running one, discarding its current state? */
    public boolean losesState() {
        return chosen().stream().anyMatch(VmChoice::inPlace);
    }

    /** To the next page; entering the checklist runs the preflight, leaving the confirmation starts the restore. */
    public void next() {
        if (!canGoNext.get()) {
            return;
        }
        Step to = Step.values()[step.get().ordinal() + 1];
        switch (to) {
            case PREFLIGHT -> runPreflight();
            case CONFIRM -> confirmation.set(confirmationText());
            case PROGRESS -> startRestore();
            default -> { }
        }
        step.set(to);
    }

    public void back() {
        if (canGoBack.get()) {
            step.set(Step.values()[step.get().ordinal() - 1]);
        }
    }

    /** Asks every host holding a chosen VM for its checklist; reads only. */
    public void runPreflight() {
        CatalogRow row = snapshot.get();
        int round = ++preflightRound;
        checks.clear();
        preflight.set(Outcome.RUNNING);
        preflightSummary.set("Checking files, checksums, space, QEMU, CPU and names on every host…");
        Map<HostSession, List<RestoreChoice>> byHost;
        try {
            byHost = byHost();
        } catch (IllegalStateException e) {
            preflightFailed(e.getMessage());
            return;
        }
        engine.restorePreflight(row.id(), row.store(), byHost).whenCompleteAsync((answer, e) -> {
            if (round != preflightRound) {
                return;
            }
            if (e != null) {
                preflightFailed(Failure.reason(e));
                return;
            }
            List<CheckRow> rows = new ArrayList<>();
            answer.forEach((host, list) -> list.forEach(c -> rows.add(new CheckRow(host, c.vm(), c.check(), c.ok(), c.detail()))));
            checks.setAll(rows);
            List<String> red = rows.stream().filter(c -> !c.ok()).map(CheckRow::reason).toList();
            preflightSummary.set(red.isEmpty() ? "All " + rows.size() + " checks passed." : red.size() + " of " + rows.size()
                    + " checks failed; the restore cannot go on:\n" + String.join("\n", red));
            preflight.set(Outcome.DONE);
        }, fx);
    }

    private void preflightFailed(String reason) {
        preflightSummary.set("Preflight could not be completed: " + reason);
        preflight.set(Outcome.FAILED);
    }

    private void startRestore() {
        CatalogRow row = snapshot.get();
        progress.start(chosen().stream().map(c -> VmProgress.waiting(c.host(), c.vm(), c.restoredName())).toList());
        restore.set(Outcome.RUNNING);
        engine.restore(row.id(), row.store(), byHost(), e -> fx.execute(() -> progress.accept(e))).whenCompleteAsync((r, e) -> {
            if (e != null) {
                progress.failed(Failure.reason(e));
                restore.set(Outcome.FAILED);
            } else {
                result.set(r);
                progress.finished(r);
                restore.set(Outcome.DONE);
            }
        }, fx);
    }

    private List<VmChoice> chosen() {
        return vms.stream().filter(c -> c.selected().get()).toList();
    }

    private Map<HostSession, List<RestoreChoice>> byHost() {
        Map<HostSession, List<RestoreChoice>> byHost = new LinkedHashMap<>();
        for (VmChoice c : chosen()) {
            HostSession session = sessions.apply(c.host()).orElseThrow(() -> new IllegalStateException(c.host() + " is not connected"));
            byHost.computeIfAbsent(session, s -> new ArrayList<>()).add(c.choice());
        }
        return byHost;
    }

    private String problemWithVms() {
        List<VmChoice> chosen = chosen();
        if (chosen.isEmpty()) {
            return "Choose at least one VM to restore.";
        }
        Set<String> names = new HashSet<>();
        for (VmChoice c : chosen) {
            if (c.host() == null) {
                return c.vm() + ": no connected host keeps its part of this snapshot.";
            }
            if (!c.inPlace() && !io.hotsnap.restore.VmRestore.validName(c.restoredName())) {
                return c.vm() + ": '" + c.restoredName() + "' is not a valid VM name (letters, digits, '.', '_', '-').";
            }
            if (!names.add(c.host() + "/" + c.restoredName())) {
                return "Two VMs would run as " + c.restoredName() + " on " + c.host() + ".";
            }
        }
        return null;
    }

    /** What libvirt keeps of a clone of a domain once it stops. */
    private static String cloneKind(VmChoice c) {
        return !c.libvirt() ? "" : c.persistentClone() ? ", a persistent libvirt domain (defined until you undefine it)"
                : ", a transient libvirt domain (gone once it stops)";
    }

    String confirmationText() {
        CatalogRow row = snapshot.get();
        Map<String, VmPart> parts = row.manifest().vms().stream().collect(Collectors.toMap(VmPart::name, p -> p));
        List<String> lines = new ArrayList<>();
        lines.add("Restore snapshot " + row.id() + " (taken " + row.time() + ", " + row.mode() + " cut):");
        for (VmChoice c : chosen()) {
            VmPart part = parts.get(c.vm());
            String memory = String.format("%.0f MiB", part.memoryBytesOfGuest() / 1048576.0);
            lines.add(c.inPlace()
                    ? "• " + c.vm() + " on " + c.host() + ", IN PLACE: the running " + c.vm() + " is shut down and its current state is LOST "
                    + "(memory, disk writes and connections since " + row.time() + "); it comes back as it was then (" + memory + ")."
                    : "• " + c.vm() + " on " + c.host() + ", as a new VM " + c.restoredName() + " (" + memory + ")" + cloneKind(c) + ": " + c.vm()
                    + " keeps running, unchanged; the clone's network card is on a tap of its own, joined to no network.");
        }
        lines.add("");
        lines.add("Every VM is loaded paused; once all have loaded they are resumed together, as the snapshot was cut. "
                + "If any cannot be loaded, what was started is stopped again and its overlays removed"
                + (losesState() ? " (a VM restored in place stays shut down)." : "."));
        lines.add(losesState() ? "Nothing has been changed yet. Press Restore to discard the current state of the VMs restored in place."
                : "Nothing has been changed yet; no running VM is touched.");
        return String.join("\n", lines);
    }
}
