package io.hotsnap.app.dashboard;

import io.hotsnap.bench.HostLoad;
import io.hotsnap.protocol.ClusterEvent;
import io.hotsnap.protocol.SnapshotRecord;
import io.hotsnap.protocol.VmResult;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javafx.scene.Scene;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;

/**
 * The dashboard under load: the real {@link DashboardView} in a real 1280×800 stage, fed a recorded
 * snapshot grown to many VMs at full speed from a background thread. Measures, per run, each
 * event's way to the screen ({@link RenderLatencyProbe}) and how long the FX thread stays busy at
 * a stretch ({@link FxHeartbeat}). As the console does when a snapshot starts, each run first
 * tells the view-model which VMs to expect, so their rows exist before the events; a cold run
 * leaves that out and its first batch builds the table too. Needs a running JavaFX toolkit (a
 * display, Xvfb, or Monocle headless); call it off the FX thread.
 */
final class DashboardBench {

    static final double LATENCY_GOAL_MS = 100;
    static final double BUSY_GOAL_MS = 50;
    private static final long SETTLE_MILLIS = 500;
    private static final long RUN_TIMEOUT_SECONDS = 120;

    record Options(SnapshotRecord recording, int vms, int runs, int warmup, boolean cold) {
    }

    record Run(int events, long applications, double wallMs, Distribution latency, Distribution fxBusy) {
    }

    /** @param hostLoadAverage the host's 1-minute load average before and after the runs */
    record Report(int vms, int events, boolean cold, List<Run> runs, Distribution latency, Distribution fxBusy, boolean goalsMet,
                  List<Double> hostLoadAverage) {
    }

    private DashboardBench() {
    }

    static Report run(Options options, Consumer<String> progress) throws InterruptedException {
        double loadBefore = HostLoad.oneMinute();
        SnapshotRecord load = ScaledRecording.of(options.recording(), options.vms());
        Scene scene = FxThread.call(() -> {
            Scene s = new Scene(new Region(), 1280, 800);
            URL css = DashboardBench.class.getResource("/io/hotsnap/app/hotsnap.css");
            if (css != null) {
                s.getStylesheets().add(css.toExternalForm());
            }
            Stage stage = new Stage();
            stage.setTitle("HotSnap dashboard benchmark");
            stage.setScene(s);
            stage.show();
            return s;
        });
        try {
            List<Run> runs = new ArrayList<>();
            List<Double> latencies = new ArrayList<>();
            List<Double> busy = new ArrayList<>();
            for (int i = 0; i < options.warmup() + options.runs(); i++) {
                boolean warmup = i < options.warmup();
                Run run = once(scene, load, options.cold(), warmup ? new ArrayList<>() : latencies, warmup ? new ArrayList<>() : busy);
                progress.accept(String.format("%s %d: %d events in %d batches, %.0f ms; latency %s; FX busy %s",
                        warmup ? "warm-up" : "run", i + 1, run.events(), run.applications(), run.wallMs(), run.latency(), run.fxBusy()));
                if (!warmup) {
                    runs.add(run);
                }
            }
            Distribution latency = Distribution.ofMillis(latencies);
            Distribution fxBusy = Distribution.ofMillis(busy);
            return new Report(options.vms(), load.events().size(), options.cold(), runs, latency, fxBusy,
                    latency.maxMs() <= LATENCY_GOAL_MS && fxBusy.maxMs() <= BUSY_GOAL_MS, List.of(loadBefore, HostLoad.oneMinute()));
        } finally {
            FxThread.call(() -> {
                scene.getWindow().hide();
                return null;
            });
        }
    }

    /** One replay into a fresh view-model and view; adds its samples to {@code latencies} and {@code busy}. */
    private static Run once(Scene scene, SnapshotRecord load, boolean cold, List<Double> latencies, List<Double> busy)
            throws InterruptedException {
        List<ClusterEvent> events = load.events();
        DashboardViewModel viewModel = new DashboardViewModel();
        if (!cold) {
            load.result().vms().stream().collect(Collectors.groupingBy(VmResult::host, LinkedHashMap::new,
                    Collectors.mapping(VmResult::name, Collectors.toList()))).forEach(viewModel::expect);
        }
        RenderLatencyProbe probe = FxThread.call(() -> {
            DashboardView view = new DashboardView(viewModel);
            scene.setRoot(new StackPane(view.getRoot()));
            return new RenderLatencyProbe(scene, viewModel, view, events.size());
        });
        // The new root's first layout and draw (and the expected rows) are not the events' doing.
        Thread.sleep(SETTLE_MILLIS);
        FxHeartbeat heartbeat = FxHeartbeat.start();
        long start = System.nanoTime();
        long batchesBefore = viewModel.applications();
        Thread producer = new Thread(() -> {
            for (int i = 0; i < events.size(); i++) {
                probe.accepted(i);
                viewModel.accept(events.get(i));
            }
            viewModel.finished(load.result());
        }, "bench-producer");
        producer.start();
        double[] latency = probe.await(RUN_TIMEOUT_SECONDS);
        double wallMs = (System.nanoTime() - start) / 1e6;
        // The result's batch (the TCP chart) is load too.
        Thread.sleep(SETTLE_MILLIS);
        List<Double> lateness = heartbeat.stop();
        producer.join();
        List<Double> latencyMs = Arrays.stream(latency).boxed().toList();
        latencies.addAll(latencyMs);
        busy.addAll(lateness);
        return new Run(events.size(), viewModel.applications() - batchesBefore, wallMs, Distribution.ofMillis(latencyMs), Distribution.ofMillis(lateness));
    }
}
