package io.hotsnap.app;

import io.hotsnap.app.catalog.CatalogRow;
import io.hotsnap.app.catalog.CatalogViewModel;
import io.hotsnap.app.dashboard.DashboardViewModel;
import io.hotsnap.app.doctor.HostCheckViewModel;
import io.hotsnap.app.engine.ConsoleEngine;
import io.hotsnap.app.engine.Failure;
import io.hotsnap.app.engine.HostList;
import io.hotsnap.app.engine.HostSession;
import io.hotsnap.app.engine.SnapshotRun;
import io.hotsnap.app.restore.RestoreWizardViewModel;
import io.hotsnap.coordinator.HostCheckup;
import io.hotsnap.protocol.ClusterResult;
import io.hotsnap.protocol.VmResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * State and actions of the main window: the inventory, the snapshot being taken (its dashboard),
 * the catalog, the status line and the errors worth a dialog. Properties change on the FX thread
 * only; the engine's work runs on its own threads and comes back through {@code fx}.
 */
public final class MainViewModel {

    static final String INITIAL_STATUS = "Ready — no hosts connected";

    private final ConsoleEngine engine;
    private final HostList hostList;
    private final Executor fx;
    private final StringProperty statusText = new SimpleStringProperty(this, "statusText", INITIAL_STATUS);
    private final ObjectProperty<String> error = new SimpleObjectProperty<>(this, "error");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private final ReadOnlyBooleanWrapper snapshotRunning = new ReadOnlyBooleanWrapper(this, "snapshotRunning");
    private final ReadOnlyObjectWrapper<ClusterResult> lastResult = new ReadOnlyObjectWrapper<>(this, "lastResult");
    private final ReadOnlyObjectWrapper<DashboardViewModel> dashboard = new ReadOnlyObjectWrapper<>(this, "dashboard");
    private final BooleanProperty labUp = new SimpleBooleanProperty(this, "labUp");
    private final InventoryViewModel inventory;
    private final CatalogViewModel catalog;
    private SnapshotRun run;

    MainViewModel(ConsoleEngine engine, HostList hostList, Executor fx) {
        this.engine = engine;
        this.hostList = hostList;
        this.fx = fx;
        this.inventory = new InventoryViewModel(engine, fx, this::showError);
        this.catalog = new CatalogViewModel(engine, inventory::sessions, fx, this::showError);
    }

    public InventoryViewModel inventory() {
        return inventory;
    }

    public CatalogViewModel catalog() {
        return catalog;
    }

    /** The configured hosts, or this machine when there are none: the first run shows the local lab. */
    public CompletableFuture<Void> connectConfigured() {
        List<String> hosts = hostList.hosts();
        List<String> toOpen = hosts.isEmpty() ? List.of(ConsoleEngine.LOCAL_HOST) : hosts;
        statusText.set("Connecting to " + String.join(", ", toOpen) + "…");
        labUp.set(engine.lab().isUp());
        return CompletableFuture.allOf(toOpen.stream().map(inventory::connect).toArray(CompletableFuture[]::new))
                .thenRunAsync(this::connectedStatus, fx);
    }

    /**
     * Remembers the host (with its key choice, which the connector reads from the list) and
     * connects; if it does not answer, the list is put back as it was, so a typo is not kept.
     */
    public CompletableFuture<Void> addHost(HostList.Host host) {
        Optional<HostList.Host> before = hostList.entries().stream().filter(h -> h.name().equals(host.name())).findFirst();
        try {
            hostList.add(host);
        } catch (RuntimeException e) {
            showError(e.getMessage());
            return CompletableFuture.completedFuture(null);
        }
        statusText.set("Connecting to " + host.name() + "…");
        return inventory.connect(host.name()).thenRunAsync(() -> {
            if (inventory.session(host.name()).isEmpty()) {
                before.ifPresentOrElse(hostList::add, () -> hostList.remove(host.name()));
            }
            connectedStatus();
        }, fx);
    }

    public CompletableFuture<Void> startLab() {
        return labWork("Starting the local lab…", engine::startLab);
    }

    public CompletableFuture<Void> stopLab() {
        return labWork("Stopping the local lab…", engine::stopLab);
    }

    /** Lab up or down: its progress lines in the status bar, then this host's VMs listed again. */
    private CompletableFuture<Void> labWork(String starting, Function<Consumer<String>, CompletableFuture<?>> work) {
        busy.set(true);
        statusText.set(starting);
        return work.apply(line -> fx.execute(() -> statusText.set("Local lab: " + line)))
                .thenCompose(v -> inventory.connect(ConsoleEngine.LOCAL_HOST))
                .handleAsync((ok, e) -> {
                    busy.set(false);
                    labUp.set(engine.lab().isUp());
                    connectedStatus();
                    if (e != null) {
                        showError("Local lab: " + Failure.reason(e));
                    }
                    return null;
                }, fx);
    }

    /**
     * The VM's disks stop using the snapshots of every store the catalog lists (streamed into its
     * overlays while it runs), so that those snapshots can be deleted; the outcome in the status bar.
     */
    public CompletableFuture<Void> detach(VmEntry vm) {
        Optional<HostSession> session = inventory.session(vm.host());
        if (session.isEmpty()) {
            showError("Detach " + vm.name() + ": host " + vm.host() + " is not connected");
            return CompletableFuture.completedFuture(null);
        }
        busy.set(true);
        statusText.set("Detaching " + vm.name() + " from its snapshots…");
        List<String> stores = catalog.stores();
        return engine.supply(() -> stores.stream().mapToInt(store -> session.get().detach(vm.name(), store)).sum())
                .handleAsync((disks, e) -> {
                    busy.set(false);
                    if (e != null) {
                        showError("Detach " + vm.name() + ": " + Failure.reason(e));
                    } else {
                        statusText.set(disks == 0 ? vm.name() + " uses no snapshot: nothing to detach"
                                : vm.name() + ": " + disks + " disk(s) detached; its snapshots can be deleted");
                    }
                    return null;
                }, fx);
    }

    /**
     * The check of {@code host} ("Check host…"), run by its agent off the FX thread; a host not
     * connected is checked as the one failing line that says why.
     */
    public HostCheckViewModel checkHost(HostEntry host) {
        return new HostCheckViewModel(host.name(), () -> inventory.session(host.name())
                .map(session -> engine.supply(session::check))
                .orElseGet(() -> CompletableFuture.completedFuture(HostCheckup.unreachable(host.name(), host.statusProperty().get()))), fx);
    }

    /** Why the ticked VMs cannot be snapshotted now, or null when they can. */
    public String cannotSnapshot() {
        List<VmEntry> vms = inventory.selected();
        if (snapshotRunning.get()) {
            return "A snapshot is already running.";
        }
        if (vms.isEmpty()) {
            return "Tick the VMs to snapshot in the tree first.";
        }
        List<String> unreachable = vms.stream().filter(v -> !v.reachable() || inventory.session(v.host()).isEmpty())
                .map(VmEntry::toString).toList();
        return unreachable.isEmpty() ? null : "Not reachable now: " + String.join(", ", unreachable);
    }

    /** Starts the cut; its dashboard becomes the current one at once and fills as events arrive. */
    public void takeSnapshot(SnapshotRequest request) {
        String refused = cannotSnapshot();
        if (refused != null) {
            showError(refused);
            return;
        }
        List<VmEntry> vms = inventory.selected();
        Map<HostSession, List<String>> byHost = new LinkedHashMap<>();
        vms.forEach(v -> byHost.computeIfAbsent(inventory.session(v.host()).orElseThrow(), h -> new ArrayList<>()).add(v.name()));
        if (request.options().store() != null) {
            catalog.addStore(request.options().store());
        }
        DashboardViewModel live = new DashboardViewModel();
        byHost.forEach((host, names) -> live.expect(host.name(), names));
        dashboard.set(live);
        snapshotRunning.set(true);
        statusText.set("Snapshot running: " + request.mode().cliName() + " cut of " + vms.size() + " VMs…");
        run = engine.snapshot(byHost, request.options(), live::accept);
        run.result().whenCompleteAsync((result, e) -> {
            snapshotRunning.set(false);
            run = null;
            if (e != null) {
                String reason = Failure.reason(e);
                live.failed(reason);
                statusText.set("Snapshot failed: nothing was kept, every VM runs");
                showError(reason);
            } else {
                live.finished(result);
                lastResult.set(result);
                statusText.set(summary(result));
                catalog.refresh();
            }
        }, fx);
    }

    /**
     * A restore wizard over the catalog's snapshots, {@code selected} (may be null) chosen at first.
     * When its restore ends, the hosts' VMs (a clone is new, an in-place VM restarted) are listed again.
     */
    public RestoreWizardViewModel restoreWizard(CatalogRow selected) {
        RestoreWizardViewModel wizard = new RestoreWizardViewModel(engine, catalog.rows().filtered(r -> !r.broken()), inventory::session, fx);
        wizard.snapshotProperty().set(selected == null || selected.broken() ? null : selected);
        wizard.restoreProperty().addListener((o, old, outcome) -> {
            if (outcome == RestoreWizardViewModel.Outcome.DONE || outcome == RestoreWizardViewModel.Outcome.FAILED) {
                statusText.set(wizard.restoreSummaryProperty().get());
                inventory.refreshAll();
                catalog.refresh();
            }
        });
        return wizard;
    }

    /** Aborts the running cut on every host (nothing kept); after the commit there is nothing to cancel. */
    public void cancelSnapshot() {
        SnapshotRun r = run;
        if (r != null) {
            statusText.set("Cancelling: every host aborts, releases its holds and resumes its VMs…");
            r.cancel();
        }
    }

    static String summary(ClusterResult r) {
        double maxDowntime = r.vms().stream().mapToDouble(VmResult::downtimeMs).max().orElse(0);
        return String.format("Snapshot %s committed: %d VMs, max downtime %.1f ms, skew %.1f ms, committed after %.1f s",
                r.id(), r.vms().size(), maxDowntime, r.skewMs(), r.commitMs() / 1000);
    }

    private void connectedStatus() {
        long connected = inventory.hosts().stream().filter(HostEntry::isConnected).count();
        statusText.set(String.format("%d of %d hosts connected · %d VMs", connected, inventory.hosts().size(),
                inventory.vmCountProperty().get()));
    }

    /** For a dialog; the view clears it once shown. */
    private void showError(String message) {
        error.set(null);
        error.set(message);
    }

    public ObjectProperty<String> errorProperty() {
        return error;
    }

    /** The last snapshot this console committed. */
    public ReadOnlyObjectProperty<ClusterResult> lastResultProperty() {
        return lastResult.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<DashboardViewModel> dashboardProperty() {
        return dashboard.getReadOnlyProperty();
    }

    /** Shows a recorded snapshot (from the catalog) in the dashboard area. */
    void showDashboard(DashboardViewModel d) {
        dashboard.set(d);
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty snapshotRunningProperty() {
        return snapshotRunning.getReadOnlyProperty();
    }

    public BooleanProperty labUpProperty() {
        return labUp;
    }

    public StringProperty statusTextProperty() {
        return statusText;
    }

    public String getStatusText() {
        return statusText.get();
    }

    public void setStatusText(String text) {
        statusText.set(text);
    }

    void close() {
        SnapshotRun r = run;
        if (r != null) {
            r.cancel();
        }
        inventory.closeAll();
        engine.close();
    }
}
