package io.hotsnap.app.dashboard;

import io.hotsnap.coordinator.VmTimeline;
import io.hotsnap.protocol.ClusterEvent;
import io.hotsnap.protocol.ClusterResult;
import io.hotsnap.protocol.SnapshotRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

/**
 * The live dashboard of one cluster snapshot, fed by the engine's event stream. {@link #accept},
 * {@link #finished}, {@link #failed} and {@link #replay} may be called from any thread: they only
 * queue, and the FX thread applies everything queued in one batch at most 30 times a second.
 * Every observable here changes on the FX thread only, at most once per batch.
 */
public final class DashboardViewModel {

    /** 30 batches a second at most: smoother than the eye needs, cheap for the FX thread. */
    static final Duration BATCH_INTERVAL = Duration.ofNanos(1_000_000_000L / 30);
    /** How long a batch waits for the rest of a burst: half a 60 Hz frame. */
    static final Duration GATHER = Duration.ofMillis(8);
    /** FX time a batch may take in one go; the rest follows in the next FX turn, after a pulse. */
    static final Duration BUDGET = Duration.ofMillis(8);
    /** The log keeps the latest lines only: a console left open for days must not grow without bound. */
    static final int LOG_CAPACITY = 10_000;

    private final UpdateQueue<Update> queue;
    private DashboardModel model = new DashboardModel();
    /** The batch being applied: its log lines and events, published at its end. */
    private final List<LogLine> batchLines = new ArrayList<>();
    private long batchEvents;
    /** Runs {@link #publishTable} after a batch: at once, unless a view paces it with its charts. */
    private Consumer<Runnable> tablePublisher = Runnable::run;

    private final ReadOnlyObjectWrapper<DashboardState> state = new ReadOnlyObjectWrapper<>(this, "state", DashboardState.RUNNING);
    private final ReadOnlyStringWrapper statusText = new ReadOnlyStringWrapper(this, "statusText", DashboardModel.WAITING_TEXT);
    private final ReadOnlyDoubleWrapper skewMs = new ReadOnlyDoubleWrapper(this, "skewMs", Double.NaN);
    private final ObservableList<VmRow> rows = FXCollections.observableArrayList();
    private final ObservableList<VmRow> rowsReadOnly = FXCollections.unmodifiableObservableList(rows);
    private final Map<String, VmRow> rowsByKey = new HashMap<>();
    private final ObservableList<TimelineSegment> segments = FXCollections.observableArrayList();
    private final ObservableList<TimelineSegment> segmentsReadOnly = FXCollections.unmodifiableObservableList(segments);
    private final ObservableList<TimelineMarker> markers = FXCollections.observableArrayList();
    private final ObservableList<TimelineMarker> markersReadOnly = FXCollections.unmodifiableObservableList(markers);
    private final ObservableList<TcpFlowView> tcpFlows = FXCollections.observableArrayList();
    private final ObservableList<TcpFlowView> tcpFlowsReadOnly = FXCollections.unmodifiableObservableList(tcpFlows);
    private final ReadOnlyObjectWrapper<Integer> orphanPackets = new ReadOnlyObjectWrapper<>(this, "orphanPackets");
    private final ReadOnlyStringWrapper tcpNote = new ReadOnlyStringWrapper(this, "tcpNote", "");
    private final ObservableList<LogLine> log = FXCollections.observableArrayList();
    private final FilteredList<LogLine> filteredLog = new FilteredList<>(log);
    private final StringProperty eventFilter = new SimpleStringProperty(this, "eventFilter", "");
    private final ReadOnlyLongWrapper revision = new ReadOnlyLongWrapper(this, "revision");
    private final ReadOnlyLongWrapper appliedEvents = new ReadOnlyLongWrapper(this, "appliedEvents");

    public DashboardViewModel() {
        this(BATCH_INTERVAL);
    }

    /** @param batchInterval the least time between two batches (tests that step event by event use 0) */
    DashboardViewModel(Duration batchInterval) {
        queue = new UpdateQueue<>(batchInterval, GATHER.compareTo(batchInterval) < 0 ? GATHER : batchInterval, BUDGET,
                this::apply, this::publish);
        eventFilter.addListener((obs, old, text) -> filteredLog.setPredicate(matching(text)));
    }

    /**
     * The VMs a starting snapshot takes on {@code host}, before any event: their rows show
     * "waiting" through the agents' prepare, which can take seconds; any thread.
     */
    public void expect(String host, List<String> vms) {
        queue.add(new Update.Expected(host, List.copyOf(vms)));
    }

    /** One event of the running snapshot; any thread. */
    public void accept(ClusterEvent event) {
        queue.add(new Update.Event(event));
    }

    /** The snapshot is committed: its figures and TCP analysis; any thread. */
    public void finished(ClusterResult result) {
        queue.add(new Update.Finished(result));
    }

    /** The snapshot was aborted; any thread. */
    public void failed(String message) {
        queue.add(new Update.Failed(message));
    }

    /** Shows a saved snapshot from scratch, all at once; any thread. */
    public void replay(SnapshotRecord record) {
        queue.add(new Update.Replay(record));
    }

    public ReadOnlyObjectProperty<DashboardState> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusTextProperty() {
        return statusText.getReadOnlyProperty();
    }

    /** Max − min of the VMs' snapshot points (STOP), ms; NaN before the first STOP. */
    public ReadOnlyDoubleProperty skewMsProperty() {
        return skewMs.getReadOnlyProperty();
    }

    /** One row per VM, ordered by host and name. */
    public ObservableList<VmRow> rows() {
        return rowsReadOnly;
    }

    /** Hold, pause and copy bars of every VM, ms from the first event. */
    public ObservableList<TimelineSegment> timelineSegments() {
        return segmentsReadOnly;
    }

    /** STOP and RESUME of every VM, ms from the first event. */
    public ObservableList<TimelineMarker> timelineMarkers() {
        return markersReadOnly;
    }

    /** The result's TCP flows on the timeline's axis; empty until {@link #finished}. */
    public ObservableList<TcpFlowView> tcpFlows() {
        return tcpFlowsReadOnly;
    }

    /** Packets that crossed the cut backwards (0 for a consistent snapshot); null when not measured. */
    public ReadOnlyObjectProperty<Integer> orphanPacketsProperty() {
        return orphanPackets.getReadOnlyProperty();
    }

    /** Why there are no TCP figures, or "". */
    public ReadOnlyStringProperty tcpNoteProperty() {
        return tcpNote.getReadOnlyProperty();
    }

    /** Every event as a line (the latest {@value #LOG_CAPACITY}), narrowed by {@link #eventFilterProperty()}. */
    public ObservableList<LogLine> eventLog() {
        return filteredLog;
    }

    /** Text a log line must contain, ignoring case; "" shows all. */
    public StringProperty eventFilterProperty() {
        return eventFilter;
    }

    /** Counts applied batches: views redraw their charts once per revision. */
    ReadOnlyLongProperty revisionProperty() {
        return revision.getReadOnlyProperty();
    }

    /** Events applied so far (the benchmark's way to see what reached the screen). */
    ReadOnlyLongProperty appliedEventsProperty() {
        return appliedEvents.getReadOnlyProperty();
    }

    /** FX applications of queued batches so far. */
    long applications() {
        return queue.applications();
    }

    /**
     * After each batch the chart data and {@link #revisionProperty()} change at once; the rows'
     * values, the log, the state and the status text are handed to {@code publisher}, which runs
     * them now or later on the FX thread (a view: with its last chart, so one frame carries both).
     * FX thread.
     */
    void publishTableWith(Consumer<Runnable> publisher) {
        tablePublisher = publisher;
    }

    /** On the FX thread: one update into the model; the observables change at the batch's end. */
    private void apply(Update update) {
        if (update instanceof Update.Event e) {
            model.event(e.event());
            batchLines.add(LogLine.of(e.event(), model.originMicros()));
            batchEvents++;
        } else if (update instanceof Update.Expected x) {
            model.expect(x.host(), x.vms());
        } else if (update instanceof Update.Finished f) {
            model.finished(f.result());
            batchLines.add(LogLine.note("result: " + f.result().status() + ", skew " + Units.ms(f.result().skewMs()) + " ms"));
        } else if (update instanceof Update.Failed f) {
            model.failed(f.message());
            batchLines.add(LogLine.note("failed: " + f.message()));
        } else if (update instanceof Update.Replay r) {
            reset();
            for (ClusterEvent e : r.record().events()) {
                model.event(e);
                batchLines.add(LogLine.of(e, model.originMicros()));
                batchEvents++;
            }
            if (r.record().result() != null) {
                model.finished(r.record().result());
            }
        }
    }

    private void reset() {
        model = new DashboardModel();
        rows.clear();
        rowsByKey.clear();
        log.clear();
        batchLines.clear();
    }

    /** On the FX thread, at a batch's end: every observable once, the table's part maybe later. */
    private void publish() {
        appliedEvents.set(appliedEvents.get() + batchEvents);
        batchEvents = 0;
        List<VmTimeline> tracks = model.tracks();
        if (tracks.size() != rows.size()) {
            rows.setAll(tracks.stream().map(t -> rowsByKey.computeIfAbsent(t.name(), k -> new VmRow(t.host(), t.vm()))).toList());
        }
        segments.setAll(model.segments());
        markers.setAll(model.markers());
        List<TcpFlowView> flows = model.tcpFlows();
        if (!flows.equals(tcpFlows)) {
            tcpFlows.setAll(flows);
        }
        orphanPackets.set(model.orphanPackets());
        tcpNote.set(model.tcpNote());
        skewMs.set(model.skewMs());
        tablePublisher.accept(this::publishTable);
        revision.set(revision.get() + 1);
    }

    /** The rows' values, the log lines of every batch since the last call, state and status. */
    private void publishTable() {
        for (VmTimeline t : model.tracks()) {
            VmRow row = rowsByKey.get(t.name());
            if (row != null) {
                row.update(t);
            }
        }
        state.set(model.state());
        statusText.set(model.statusText());
        appendLog(batchLines);
        batchLines.clear();
    }

    private void appendLog(List<LogLine> lines) {
        List<LogLine> kept = lines.size() > LOG_CAPACITY ? lines.subList(lines.size() - LOG_CAPACITY, lines.size()) : lines;
        int overflow = log.size() + kept.size() - LOG_CAPACITY;
        if (overflow > 0) {
            log.remove(0, overflow);
        }
        log.addAll(kept);
    }

    private static Predicate<LogLine> matching(String filter) {
        if (filter == null || filter.isBlank()) {
            return null;
        }
        String needle = filter.strip().toLowerCase(Locale.ROOT);
        return line -> line.text().toLowerCase(Locale.ROOT).contains(needle);
    }
}
