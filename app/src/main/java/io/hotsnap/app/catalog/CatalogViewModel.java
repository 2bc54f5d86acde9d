package io.hotsnap.app.catalog;

import io.hotsnap.app.dashboard.DashboardViewModel;
import io.hotsnap.app.engine.ConsoleEngine;
import io.hotsnap.app.engine.Failure;
import io.hotsnap.app.engine.HostSession;
import io.hotsnap.host.PrivateFiles;
import io.hotsnap.protocol.CatalogEntry;
import io.hotsnap.protocol.CatalogResult;
import io.hotsnap.report.Report;
import io.hotsnap.snapshot.StoreListing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Every committed snapshot on the connected hosts, newest first, read from their manifests by each
 * host's agent. A cluster snapshot spans hosts: it is listed once, with all its hosts. Broken store
 * entries follow, one row per host, each saying why.
 */
public final class CatalogViewModel {

    private final ConsoleEngine engine;
    /** The connected hosts' sessions, as the inventory holds them. */
    private final Supplier<List<HostSession>> sessions;
    private final Executor fx;
    private final Consumer<String> errors;
    private final ObservableList<CatalogRow> rows = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper exportStatus = new ReadOnlyStringWrapper(this, "exportStatus", "");
    /** Each host's default store (null), and every other store this console wrote a snapshot to. */
    private final Set<String> stores = new CopyOnWriteArraySet<>(Collections.singleton(null));

    public CatalogViewModel(ConsoleEngine engine, Supplier<List<HostSession>> sessions, Executor fx, Consumer<String> errors) {
        this.engine = engine;
        this.sessions = sessions;
        this.fx = fx;
        this.errors = errors;
    }

    public ObservableList<CatalogRow> rows() {
        return rows;
    }

    /** The stores listed: null for each host's default, then the others. */
    public List<String> stores() {
        return new ArrayList<>(stores);
    }

    /** Lists this store too from now on (a snapshot was taken into it). */
    public void addStore(String store) {
        stores.add(store);
    }

    public CompletableFuture<Void> refresh() {
        List<HostSession> connected = sessions.get();
        List<String> where = new ArrayList<>(stores);
        return engine.supply(() -> list(connected, where)).handleAsync((listed, e) -> {
            if (e != null) {
                errors.accept("Snapshot catalog: " + Failure.reason(e));
            } else {
                rows.setAll(listed);
            }
            return null;
        }, fx);
    }

    /** What the last export did: the file written, or empty; failures go to the errors. */
    public ReadOnlyStringProperty exportStatusProperty() {
        return exportStatus.getReadOnlyProperty();
    }

    /**
     * Writes the report of {@code selected} (one snapshot, or several compared) to the target, off
     * the FX thread. The report is made of what the hosts' agents listed (manifests and records):
     * nothing is read from this machine's store. The file appears whole or not at all.
     *
     * @return the file written; completes (on the FX thread's side) after the status is set
     */
    public CompletableFuture<Path> export(List<CatalogRow> selected, ExportTarget target) {
        List<CatalogEntry> entries = selected.stream().filter(r -> !r.broken()).map(CatalogRow::entry).toList();
        if (entries.isEmpty()) {
            errors.accept("Export report: the selected entries are broken, not snapshots: there is nothing to report");
            return CompletableFuture.failedFuture(new IllegalArgumentException("only broken entries selected"));
        }
        exportStatus.set("Writing " + target.file().getFileName() + "…");
        return engine.supply(() -> {
            try {
                PrivateFiles.writeAtomically(target.file(), target.format().render(Report.of(entries)));
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
            return target.file();
        }).handleAsync((file, e) -> {
            if (e != null) {
                exportStatus.set("");
                errors.accept("Export report: " + Failure.reason(e));
                throw new CompletionException(e);
            }
            exportStatus.set("Report written: " + file);
            return file;
        }, fx);
    }

    /** A dashboard replaying the recorded snapshot, or null (with the reason reported) when it has no record. */
    public DashboardViewModel open(CatalogRow row) {
        if (row.broken()) {
            errors.accept("Store entry " + row.id() + " on " + row.hosts() + " is no snapshot: " + row.status());
            return null;
        }
        if (!row.replayable()) {
            errors.accept("Snapshot " + row.id() + " has no recorded events to replay (taken before reports were kept, "
                    + "or a single-VM snapshot)");
            return null;
        }
        DashboardViewModel d = new DashboardViewModel();
        d.replay(row.record());
        return d;
    }

    /** Blocking: every host's snapshots in every store, merged; then their broken entries. */
    static List<CatalogRow> list(List<HostSession> sessions, List<String> stores) {
        Map<String, CatalogEntry> entries = new LinkedHashMap<>();
        Map<String, String> storeOf = new LinkedHashMap<>();
        Map<String, Map<String, String>> vmHosts = new LinkedHashMap<>();
        List<CatalogRow> broken = new ArrayList<>();
        for (HostSession s : sessions) {
            for (String store : stores) {
                CatalogResult listed = s.catalog(store);
                (listed.broken() == null ? List.<StoreListing.Broken>of() : listed.broken()).forEach(b -> broken.add(CatalogRow.broken(b, s.name(), store)));
                for (CatalogEntry entry : listed.snapshots()) {
                    // A cut across hosts is in every host's store: keep it once, with every host's parts.
                    String id = entry.manifest().id();
                    entries.putIfAbsent(id, entry);
                    storeOf.putIfAbsent(id, store);
                    Map<String, String> hosts = vmHosts.computeIfAbsent(id, k -> new LinkedHashMap<>());
                    (entry.here() == null ? List.<String>of() : entry.here()).forEach(vm -> hosts.putIfAbsent(vm, s.name()));
                }
            }
        }
        List<CatalogRow> all = new ArrayList<>();
        entries.forEach((id, e) -> all.add(CatalogRow.of(e, storeOf.get(id), vmHosts.get(id))));
        all.sort(Comparator.comparing(CatalogRow::id).reversed()); // ids begin with the time taken: newest first
        all.addAll(broken);
        return all;
    }
}
