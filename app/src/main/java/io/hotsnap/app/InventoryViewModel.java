package io.hotsnap.app;

import io.hotsnap.app.engine.ConsoleEngine;
import io.hotsnap.app.engine.Failure;
import io.hotsnap.app.engine.HostSession;
import io.hotsnap.vm.VmInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Hosts and their VMs as the inventory tree shows them. Hosts are connected and asked off the FX
 * thread; every change of this model happens on it ({@code fx}). A refresh keeps what the
 * administrator had ticked.
 */
public final class InventoryViewModel {

    private final ConsoleEngine engine;
    private final Executor fx;
    private final Consumer<String> errors;
    private final ObservableList<HostEntry> hosts = FXCollections.observableArrayList();
    private final Map<String, HostSession> sessions = new HashMap<>();
    private final ReadOnlyIntegerWrapper vmCount = new ReadOnlyIntegerWrapper(this, "vmCount");

    /** @param errors one-line failures worth a dialog (on the FX thread) */
    InventoryViewModel(ConsoleEngine engine, Executor fx, Consumer<String> errors) {
        this.engine = engine;
        this.fx = fx;
        this.errors = errors;
    }

    public ObservableList<HostEntry> hosts() {
        return hosts;
    }

    /** VMs on every host: 0 shows the "start the local lab" placeholder. */
    public ReadOnlyIntegerProperty vmCountProperty() {
        return vmCount.getReadOnlyProperty();
    }

    /** Connects (once) and lists the host's VMs; a failure stays on the host's line and is reported. */
    public CompletableFuture<Void> connect(String host) {
        HostEntry entry = entry(host);
        HostSession open = sessions.get(host);
        if (open != null && open.isOpen()) {
            return refresh(entry);
        }
        entry.status("connecting…");
        return engine.connect(host)
                .thenCompose(session -> onFx(() -> sessions.put(host, session)).thenCompose(v -> refresh(entry)))
                .exceptionallyCompose(e -> onFx(() -> {
                    entry.failed(Failure.reason(e));
                    errors.accept(host + ": " + Failure.reason(e));
                }));
    }

    public CompletableFuture<Void> refreshAll() {
        return CompletableFuture.allOf(hosts.stream().map(h -> connect(h.name())).toArray(CompletableFuture[]::new));
    }

    /** Ticked VMs that can take part in a cut, in tree order. */
    public List<VmEntry> selected() {
        return hosts.stream().flatMap(h -> h.vms().stream()).filter(VmEntry::isSelected).toList();
    }

    public Optional<HostSession> session(String host) {
        return Optional.ofNullable(sessions.get(host)).filter(HostSession::isOpen);
    }

    public List<HostSession> sessions() {
        return sessions.values().stream().filter(HostSession::isOpen).toList();
    }

    /** Ticks exactly these VMs ({@code host/vm}, vm by inventory name or QEMU's {@code -name}); for "select all" and tests. */
    public void select(Set<String> keys) {
        hosts.forEach(h -> h.vms().forEach(v -> v.selectedProperty().set(keys.stream().anyMatch(v::isNamed))));
    }

    void closeAll() {
        sessions.values().forEach(HostSession::close);
        sessions.clear();
    }

    private CompletableFuture<Void> refresh(HostEntry entry) {
        HostSession session = sessions.get(entry.name());
        return engine.supply(session::inventory)
                .thenCompose(vms -> onFx(() -> show(entry, vms)))
                .exceptionallyCompose(e -> onFx(() -> entry.failed(Failure.reason(e))));
    }

    private void show(HostEntry entry, List<VmInfo> vms) {
        Set<String> ticked = entry.vms().stream().filter(VmEntry::isSelected).map(VmEntry::name).collect(Collectors.toSet());
        List<VmEntry> fresh = vms.stream().map(v -> new VmEntry(entry.name(), v)).toList();
        fresh.forEach(v -> v.selectedProperty().set(ticked.contains(v.name())));
        entry.vms().setAll(fresh);
        long eligible = fresh.stream().filter(VmEntry::eligible).count();
        entry.connected(fresh.isEmpty() ? "no VMs" : fresh.size() + " VMs, " + (eligible == fresh.size() ? "all" : eligible) + " hot-eligible");
        vmCount.set(hosts.stream().mapToInt(h -> h.vms().size()).sum());
    }

    private HostEntry entry(String host) {
        return hosts.stream().filter(h -> h.name().equals(host)).findFirst().orElseGet(() -> {
            HostEntry h = new HostEntry(host);
            hosts.add(h);
            return h;
        });
    }

    private CompletableFuture<Void> onFx(Runnable change) {
        return CompletableFuture.runAsync(change, fx);
    }
}
