package io.hotsnap.report;

import io.hotsnap.bench.BenchReport;
import io.hotsnap.protocol.CatalogEntry;
import java.util.List;
import java.util.function.Supplier;

/**
 * What {@code hotsnap report} and the console's "Export report…" write, before a format is chosen:
 * one snapshot, several compared, or a benchmark. Each kind knows its JSON value, its CSV rows
 * and its document (for HTML and PDF).
 */
public final class Report {

    final Object json;
    final List<String> csvHeader;
    final List<List<String>> csvRows;
    final Supplier<Document> document;

    private Report(Object json, List<String> csvHeader, List<List<String>> csvRows, Supplier<Document> document) {
        this.json = json;
        this.csvHeader = csvHeader;
        this.csvRows = csvRows;
        this.document = document;
    }

    /** One snapshot's report, or the comparison of several (in the order given). */
    public static Report of(List<CatalogEntry> entries) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a report needs at least one snapshot");
        }
        return entries.size() == 1 ? snapshot(entries.get(0)) : comparison(entries);
    }

    /** One snapshot: JSON its manifest and record as stored, CSV one row per VM. */
    public static Report snapshot(CatalogEntry entry) {
        return new Report(entry, CsvReport.SNAPSHOT, CsvReport.snapshot(entry), () -> SnapshotDocument.of(entry));
    }

    /**
     * Several snapshots, in the order given: JSON {@code {snapshots, comparison}} (each stored
     * whole, then its figures), CSV one row per snapshot.
     */
    public static Report comparison(List<CatalogEntry> entries) {
        List<SnapshotFigures> figures = entries.stream().map(SnapshotFigures::of).toList();
        return new Report(new Comparison(entries, figures), CsvReport.COMPARISON, CsvReport.comparison(figures),
                () -> ComparisonDocument.of(figures));
    }

    /** The JSON of a comparison: each snapshot stored whole, then its figures, in the same order. */
    public record Comparison(List<CatalogEntry> snapshots, List<SnapshotFigures> comparison) {
    }

    /** A {@code hotsnap bench --json} result: JSON as it is, CSV one row per lab size and mode. */
    public static Report bench(BenchReport bench) {
        return new Report(bench, CsvReport.BENCH, CsvReport.bench(bench), () -> BenchDocument.of(bench));
    }
}
