package io.hotsnap.app.dashboard;

import io.hotsnap.cli.Args;
import io.hotsnap.cli.CliException;
import io.hotsnap.cli.Command;
import io.hotsnap.cli.ResultPrinter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import javafx.application.Platform;

/**
 * {@code hotsnap bench-ui}: the dashboard's {@link DashboardBench}. Needs a display: a desktop,
 * {@code xvfb-run}, or Monocle headless (its jar on the class path and
 * {@code -Dglass.platform=Monocle -Dmonocle.platform=Headless -Dprism.order=sw}). The warm-up runs
 * (10 by default) let the JIT compile the dashboard's paths, as in a console that has been open a
 * while; {@code --warmup 0} shows a freshly started console's first snapshots.
 */
public final class DashboardBenchCommand implements Command {

    private static final String FIXTURE = "app/src/test/resources/io/hotsnap/app/dashboard/";
    static final Path DEFAULT_EVENTS = Path.of(FIXTURE + "hold-3vm.events.jsonl");
    static final Path DEFAULT_RESULT = Path.of(FIXTURE + "hold-3vm.result.json");

    @Override
    public String name() {
        return "bench-ui";
    }

    @Override
    public String summary() {
        return "[--vms N] [--runs N] [--warmup N] [--cold] [--events FILE.jsonl --result FILE.json]: dashboard event→screen latency and FX load";
    }

    @Override
    public int run(List<String> words, ResultPrinter printer) {
        Args args = Args.parse(words, Set.of("json", "cold"));
        if (!args.positional().isEmpty()) {
            throw new CliException(CliException.USAGE, "bench-ui takes only options: " + summary());
        }
        boolean json = args.flag("json");
        int vms = args.intOption("vms", 100, 1, 10_000);
        int runs = args.intOption("runs", 5, 1, 1000);
        int warmup = args.intOption("warmup", 10, 0, 100);
        boolean cold = args.flag("cold");
        Path events = args.option("events").map(Path::of).orElse(DEFAULT_EVENTS);
        Path result = args.option("result").map(Path::of).orElse(DEFAULT_RESULT);
        args.rejectUnknown();
        if (!Files.isRegularFile(events) || !Files.isRegularFile(result)) {
            throw new CliException(CliException.MISSING, "no recorded snapshot at " + events + " and " + result
                    + " (run from the source tree's root, or pass --events and --result)");
        }
        DashboardBench.Options options = new DashboardBench.Options(RecordedSnapshot.read(events, result), vms, runs, warmup, cold);
        DashboardBench.Report report;
        Platform.startup(() -> { });
        // The bench's own stage closing must not end the toolkit under it: it ends below.
        Platform.setImplicitExit(false);
        try {
            report = DashboardBench.run(options, printer::note);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.FAILED, "interrupted");
        } finally {
            Platform.exit();
        }
        if (json) {
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
