package io.hotsnap.app.catalog;

import io.hotsnap.report.ReportFormat;
import java.io.File;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/**
 * Asks where to write a report and in which format. The console asks with a {@link FileChooser}
 * whose file types are the formats; tests answer with a path of their own.
 */
@FunctionalInterface
public interface ExportChooser {

    /** @return the target, or empty when the user cancelled */
    Optional<ExportTarget> choose(Window owner, String suggestedName);

    /**
     * A save dialog with one file type per format, PDF first: the chosen type is the format, and
     * its extension is added to a name typed without one.
     */
    static Optional<ExportTarget> fileChooser(Window owner, String suggestedName) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export report");
        for (ReportFormat f : ReportFormat.values()) {
            chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(f.name() + " (*" + f.extension() + ")", "*" + f.extension()));
        }
        chooser.setInitialFileName(suggestedName + ReportFormat.PDF.extension());
        File file = chooser.showSaveDialog(owner);
        if (file == null) {
            return Optional.empty();
        }
        String name = file.getName().toLowerCase(Locale.ROOT);
        ReportFormat format = Arrays.stream(ReportFormat.values()).filter(f -> name.endsWith(f.extension())).findFirst()
                .orElseGet(() -> chosenFormat(chooser));
        File target = name.endsWith(format.extension()) ? file : new File(file.getPath() + format.extension());
        return Optional.of(new ExportTarget(target.toPath(), format));
    }

    private static ReportFormat chosenFormat(FileChooser chooser) {
        FileChooser.ExtensionFilter filter = chooser.getSelectedExtensionFilter();
        return filter == null ? ReportFormat.PDF
                : ReportFormat.valueOf(filter.getDescription().substring(0, filter.getDescription().indexOf(' ')));
    }
}
