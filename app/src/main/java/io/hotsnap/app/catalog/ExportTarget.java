package io.hotsnap.app.catalog;

import io.hotsnap.report.ReportFormat;
import java.nio.file.Path;

/** Where "Export report…" writes, and in which format: the file chooser's answer. */
public record ExportTarget(Path file, ReportFormat format) {
}
