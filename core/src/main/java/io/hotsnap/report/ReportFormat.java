package io.hotsnap.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The formats of {@code hotsnap report} and the console's export: each renders a {@link Report}, whole, as a file's bytes. */
public enum ReportFormat {
    /** The report's data as stored: a snapshot's {@code {manifest, record}} (record null without one). */
    JSON {
        @Override
        public byte[] render(Report report) {
            try {
                return (PRETTY.writeValueAsString(report.json) + "\n").getBytes(StandardCharsets.UTF_8);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("report not serialisable: " + e.getOriginalMessage(), e);
            }
        }
    },
    CSV {
        @Override
        public byte[] render(Report report) {
            return CsvReport.render(report.csvHeader, report.csvRows).getBytes(StandardCharsets.UTF_8);
        }
    },
    HTML {
        @Override
        public byte[] render(Report report) {
            return HtmlWriter.write(report.document.get()).getBytes(StandardCharsets.UTF_8);
        }
    },
    PDF {
        @Override
        public byte[] render(Report report) throws IOException {
            return PdfWriter.write(report.document.get());
        }
    };

    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** @throws IOException when the report cannot be made (PDF: its font is missing); the message says why */
    public abstract byte[] render(Report report) throws IOException;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The usual file name extension, with its dot. */
    public String extension() {
        return "." + cliName();
    }

    /** @throws IllegalArgumentException naming the formats, for an unknown one */
    public static ReportFormat parse(String name) {
        return Arrays.stream(values()).filter(f -> f.cliName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--format must be "
                        + Arrays.stream(values()).map(ReportFormat::cliName).collect(Collectors.joining(", ")) + ", not '" + name + "'"));
    }
}
