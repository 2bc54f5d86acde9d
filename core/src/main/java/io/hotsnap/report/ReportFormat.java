package io.hotsnap.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hotsnap.cluster.CatalogEntry;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The formats of {@code hotsnap report}: each renders a snapshot and its record, whole, as text. */
public enum ReportFormat {
    /** {@code {manifest, record}} as stored; record null for a snapshot without one. */
    JSON {
        @Override
        public String render(CatalogEntry entry) {
            try {
                return PRETTY.writeValueAsString(entry) + "\n";
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("report not serialisable: " + e.getOriginalMessage(), e);
            }
        }
    },
    CSV {
        @Override
        public String render(CatalogEntry entry) {
            return CsvReport.render(entry);
        }
    },
    HTML {
        @Override
        public String render(CatalogEntry entry) {
            return HtmlReport.render(entry);
        }
    };

    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public abstract String render(CatalogEntry entry);

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the formats, for an unknown one */
    public static ReportFormat parse(String name) {
        return Arrays.stream(values()).filter(f -> f.cliName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--format must be "
                        + Arrays.stream(values()).map(ReportFormat::cliName).collect(Collectors.joining(", ")) + ", not '" + name + "'"));
    }
}
