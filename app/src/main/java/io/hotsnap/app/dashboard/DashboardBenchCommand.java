package io.hotsnap.app.dashboard;

import io.hotsnap.cli.CliException;
import io.hotsnap.cli.ExitCode;
import io.hotsnap.cli.JsonOption;
import io.hotsnap.cli.ResultPrinter;
import io.hotsnap.cli.Values;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import javafx.application.Platform;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hotsnap bench-ui}: the dashboard's {@link DashboardBench}. Needs a display: a desktop,
 * {@code xvfb-run}, or Monocle headless (its jar on the class path and
 * {@code -Dglass.platform=Monocle -Dmonocle.platform=Headless -Dprism.order=sw}). The warm-up runs
 * (10 by default) let the JIT compile the dashboard's paths, as in a console that has been open a
 * while; {@code --warmup 0} shows a freshly started console's first snapshots. Hidden from the
 * help: a measuring tool of the source tree (docs/BENCHMARKS.md).
 */
@Command(name = "bench-ui", hidden = true, mixinStandardHelpOptions = true,
        description = "Measure the dashboard's event-to-screen latency and FX thread load (needs a display).")
public final class DashboardBenchCommand implements Callable<Integer> {

    private static final String FIXTURE = "app/src/test/resources/io/hotsnap/app/dashboard/";
    static final Path DEFAULT_EVENTS = Path.of(FIXTURE + "hold-3vm.events.jsonl");
    static final Path DEFAULT_RESULT = Path.of(FIXTURE + "hold-3vm.result.json");

    private final ResultPrinter printer;

    @Option(names = "--count", paramLabel = "N", defaultValue = "100", description = "VMs on the dashboard, 1-10000 (default ${DEFAULT-VALUE})")
    private int count;
    @Option(names = "--runs", paramLabel = "N", defaultValue = "5", description = "measured runs, 1-1000 (default ${DEFAULT-VALUE})")
    private int runs;
    @Option(names = "--warmup", paramLabel = "N", defaultValue = "10", description = "warm-up runs, 0-100 (default ${DEFAULT-VALUE})")
    private int warmup;
    @Option(names = "--cold", description = "no expected rows before the events")
    private boolean cold;
    @Option(names = "--events", paramLabel = "FILE.jsonl", description = "a recorded snapshot's events (default: the test fixture)")
    private Path events = DEFAULT_EVENTS;
    @Option(names = "--result", paramLabel = "FILE.json", description = "that snapshot's result (default: the test fixture)")
    private Path result = DEFAULT_RESULT;
    @Mixin
    private JsonOption json;

    public DashboardBenchCommand(ResultPrinter printer) {
        this.printer = printer;
    }

    @Override
    public Integer call() {
        Values.between("--count", count, 1, 10_000);
        Values.between("--runs", runs, 1, 1000);
        Values.between("--warmup", warmup, 0, 100);
        if (!Files.isRegularFile(events) || !Files.isRegularFile(result)) {
            throw new CliException(ExitCode.MISSING, "no recorded snapshot at " + events + " and " + result
                    + " (run from the source tree's root, or pass --events and --result)");
        }
        DashboardBench.Options options = new DashboardBench.Options(RecordedSnapshot.read(events, result), count, runs, warmup, cold);
        DashboardBench.Report report;
        Platform.startup(() -> { });
        // The bench's own stage closing must not end the toolkit under it: it ends below.
        Platform.setImplicitExit(false);
        try {
            report = DashboardBench.run(options, printer::note);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.FAILED, "interrupted");
        } finally {
            Platform.exit();
        }
        if (json.json()) {
            printer.json(report);
        } else {
            printer.text(String.format("bench-ui: %d VMs, %d events per run at full speed, %s, %d runs (after %d warm-up)", report.vms(),
                    report.events(), cold ? "cold (no expected rows)" : "rows expected before the events", report.runs().size(), warmup));
            printer.text(String.format("event → screen latency: %s  (goal ≤ %.0f ms)", report.latency(), DashboardBench.LATENCY_GOAL_MS));
            printer.text(String.format("FX thread busy stretch: %s  (goal ≤ %.0f ms)", report.fxBusy(), DashboardBench.BUSY_GOAL_MS));
            printer.text(String.format("host load average %.2f → %.2f (1 min; a busy host stretches both figures)",
                    report.hostLoadAverage().get(0), report.hostLoadAverage().get(1)));
            printer.text(report.goalsMet() ? "goals met" : "goals MISSED");
        }
        return 0;
    }
}
