package io.hotsnap.cli;

import io.hotsnap.cluster.Catalog;
import io.hotsnap.cluster.CatalogEntry;
import io.hotsnap.report.ReportFormat;
import io.hotsnap.snapshot.PrivateFiles;
import io.hotsnap.snapshot.SnapshotStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code report ID --format json|csv|html --out FILE}: a committed snapshot's figures as a file.
 * The file appears whole or not at all; stdout gets its path.
 */
final class ReportCommand implements Command {

    @Override
    public String name() {
        return "report";
    }

    @Override
    public String summary() {
        return "ID --format json|csv|html --out FILE [--store DIR]: a snapshot's figures as a file";
    }

    @Override
    public int run(List<String> words, ResultPrinter printer) {
        Args args = Args.parse(words, Set.of());
        ReportFormat format = ReportFormat.parse(required(args, "format"));
        Path out = Path.of(required(args, "out")).toAbsolutePath();
        SnapshotStore store = new SnapshotStore(args.option("store").map(Path::of).map(Path::toAbsolutePath)
                .orElse(SnapshotStore.defaultRoot()));
        args.rejectUnknown();
        if (args.positional().size() != 1) {
            throw new CliException(CliException.USAGE, "a snapshot ID is required");
        }
        CatalogEntry entry = read(store, args.positional().get(0));
        try {
            PrivateFiles.writeAtomically(out, format.render(entry).getBytes(StandardCharsets.UTF_8));
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
