package io.hotsnap.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotsnap.bench.BenchReport;
import io.hotsnap.cluster.Catalog;
import io.hotsnap.cluster.CatalogEntry;
import io.hotsnap.report.Report;
import io.hotsnap.report.ReportFormat;
import io.hotsnap.snapshot.PrivateFiles;
import io.hotsnap.snapshot.SnapshotStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code report ID[,ID…] | --bench FILE --format json|csv|html|pdf --out FILE}: a committed
 * snapshot's figures, several snapshots compared, or a {@code bench --json} result, as a file.
 * The file appears whole or not at all; stdout gets its path.
 */
final class ReportCommand implements Command {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "report";
    }

    @Override
    public String summary() {
        return "ID[,ID...] | --bench FILE --format json|csv|html|pdf --out FILE [--store DIR]: a snapshot's figures"
                + " (several: compared; a bench --json result) as a file";
    }

    @Override
    public int run(List<String> words, ResultPrinter printer) {
        Args args = Args.parse(words, Set.of());
        ReportFormat format = ReportFormat.parse(required(args, "format"));
        Path out = Path.of(required(args, "out")).toAbsolutePath();
        SnapshotStore store = new SnapshotStore(args.option("store").map(Path::of).map(Path::toAbsolutePath)
                .orElse(SnapshotStore.defaultRoot()));
        Optional<Path> bench = args.option("bench").map(Path::of);
        args.rejectUnknown();
        Report report;
        if (bench.isPresent()) {
            if (!args.positional().isEmpty()) {
                throw new CliException(CliException.USAGE, "give snapshot IDs or --bench FILE, not both");
            }
            report = Report.bench(readBench(bench.get()));
        } else {
            if (args.positional().size() != 1) {
                throw new CliException(CliException.USAGE, "a snapshot ID (or ID,ID,... to compare them, or --bench FILE) is required");
            }
            List<String> ids = List.of(args.positional().get(0).split(",", -1));
            if (ids.stream().anyMatch(String::isBlank) || Set.copyOf(ids).size() != ids.size()) {
                throw new CliException(CliException.USAGE, "snapshot IDs must be distinct and separated by single commas: '"
                        + args.positional().get(0) + "'");
            }
            report = Report.of(ids.stream().map(id -> read(store, id)).toList());
        }
        byte[] bytes;
        try {
            bytes = format.render(report);
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "cannot make the " + format.cliName() + " report: " + e.getMessage());
        }
        try {
            PrivateFiles.writeAtomically(out, bytes);
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "cannot write " + out + ": " + reason(e));
        }
        printer.text(out.toString());
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

    private static String required(Args args, String option) {
        return args.option(option).orElseThrow(() -> new CliException(CliException.USAGE, "--" + option + " is required"));
    }

    private static BenchReport readBench(Path file) {
        try {
            return JSON.readValue(file.toFile(), BenchReport.class);
        } catch (JsonProcessingException e) {
            throw new CliException(CliException.FAILED, file + " is not a hotsnap bench --json result: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "cannot read " + file + ": "
                    + (e instanceof NoSuchFileException ? "no such file" : reason(e)));
        }
    }

    private static CatalogEntry read(SnapshotStore store, String id) {
        try {
            return new Catalog(store).entry(id).orElseThrow(() -> new CliException(CliException.CONFLICT,
                    Files.isDirectory(store.dir(id)) ? "snapshot '" + id + "' in " + store.root() + " has no manifest (never committed)"
                            : "no snapshot '" + id + "' in " + store.root()));
        } catch (UncheckedIOException e) {
            // Jackson's message goes on with the file's excerpt on further lines: one line is the contract.
            throw new CliException(CliException.FAILED, e.getMessage().lines().findFirst().orElse("unreadable manifest"));
        }
    }
}
