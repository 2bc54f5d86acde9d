package io.hotsnap.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotsnap.agent.Catalog;
import io.hotsnap.bench.BenchReport;
import io.hotsnap.host.PrivateFiles;
import io.hotsnap.protocol.CatalogEntry;
import io.hotsnap.report.Report;
import io.hotsnap.report.ReportFormat;
import io.hotsnap.snapshot.SnapshotStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code report ID[,ID…] | --bench FILE --format json|csv|html|pdf --out FILE}: a committed
 * snapshot's figures, several snapshots compared, or a {@code bench --json} result, as a file.
 * The file appears whole or not at all; stdout gets its path.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write a snapshot's figures (several: compared; or a bench --json result) as a file.")
final class ReportCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ResultPrinter printer;
    @Parameters(paramLabel = "ID[,ID...]", arity = "0..1", description = "the snapshot, or several to compare")
    private String ids;
    @Option(names = "--bench", paramLabel = "FILE", description = "a hotsnap bench --json result instead of snapshots")
    private Path bench;
    @Option(names = "--format", paramLabel = "json|csv|html|pdf", required = true, description = "the file's format")
    private String format;
    @Option(names = "--out", paramLabel = "FILE", required = true, description = "the file to write")
    private Path out;
    @Mixin
    private StoreOption store;

    ReportCommand(ResultPrinter printer) {
        this.printer = printer;
    }

    @Override
    public Integer call() {
        ReportFormat reportFormat = ReportFormat.parse(format);
        Path file = out.toAbsolutePath();
        Report report;
        if (bench != null) {
            if (ids != null) {
                throw new CliException(ExitCode.USAGE, "give snapshot IDs or --bench FILE, not both");
            }
            report = Report.bench(readBench(bench));
        } else {
            if (ids == null) {
                throw new CliException(ExitCode.USAGE, "a snapshot ID (or ID,ID,... to compare them, or --bench FILE) is required");
            }
            List<String> list = List.of(ids.split(",", -1));
            if (list.stream().anyMatch(String::isBlank) || Set.copyOf(list).size() != list.size()) {
                throw new CliException(ExitCode.USAGE, "snapshot IDs must be distinct and separated by single commas: '" + ids + "'");
            }
            SnapshotStore snapshots = store.store();
            report = Report.of(list.stream().map(id -> read(snapshots, id)).toList());
        }
        byte[] bytes;
        try {
            bytes = reportFormat.render(report);
        } catch (IOException e) {
            throw new CliException(ExitCode.FAILED, "cannot make the " + reportFormat.cliName() + " report: " + e.getMessage());
        }
        try {
            PrivateFiles.writeAtomically(file, bytes);
        } catch (IOException e) {
            throw new CliException(ExitCode.FAILED, "cannot write " + file + ": " + reason(e));
        }
        printer.text(file.toString());
        return 0;
    }

    /** Why a write failed, without the temporary file's name that the exception carries. */
    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getClass().getSimpleName();
    }

    private static BenchReport readBench(Path file) {
        try {
            return JSON.readValue(file.toFile(), BenchReport.class);
        } catch (JsonProcessingException e) {
            throw new CliException(ExitCode.FAILED, file + " is not a hotsnap bench --json result: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new CliException(ExitCode.FAILED, "cannot read " + file + ": "
                    + (e instanceof NoSuchFileException ? "no such file" : reason(e)));
        }
    }

    private static CatalogEntry read(SnapshotStore store, String id) {
        try {
            return new Catalog(store).entry(id).orElseThrow(() -> new CliException(ExitCode.CONFLICT,
                    Files.isDirectory(store.dir(id)) ? "snapshot '" + id + "' in " + store.root() + " has no manifest (never committed)"
                            : "no snapshot '" + id + "' in " + store.root()));
        } catch (UncheckedIOException e) {
            // Jackson's message goes on with the file's excerpt on further lines: one line is the contract.
            throw new CliException(ExitCode.FAILED, e.getMessage().lines().findFirst().orElse("unreadable manifest"));
        }
    }
}
