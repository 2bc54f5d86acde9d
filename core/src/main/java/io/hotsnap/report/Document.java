package io.hotsnap.report;

import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;

/**
 * A report's content without its format: headings, paragraphs, tables and charts in reading order.
 * {@link HtmlWriter} and {@link PdfWriter} lay the same document out, so the two never differ in
 * what they say.
 */
record Document(String title, List<Block> blocks) {

    sealed interface Block permits Heading, Paragraph, Fields, Table, Figure {
    }

    record Heading(String text) implements Block {
    }

    /** @param id what tests and readers find it by (an HTML id), or null */
    record Paragraph(String id, String text) implements Block {
    }

    /** Name/value rows, such as a summary. */
    record Fields(List<Field> fields) implements Block {
    }

    record Field(String name, String value) {
    }

    /** A table: its first column is a name (left-aligned), the others figures. */
    record Table(List<String> header, List<List<String>> rows) implements Block {
    }

    /** A chart with its colour key. */
    record Figure(List<Key> keys, Chart chart) implements Block {
    }

    /**
     * One of the charts the dashboard shows, as a file draws it: {@code width} × {@code height}
     * px (PDF points before a page's scale).
     *
     * @param label what the chart shows, for screen readers
     */
    record Chart(JFreeChart chart, int width, int height, String label) {
    }

    record Key(String colour, String label) {
    }

    /** Collects blocks in order. */
    static final class Builder {
        private final String title;
        private final List<Block> blocks = new ArrayList<>();
        private List<Field> fields;

        Builder(String title) {
            this.title = title;
        }

        Builder heading(String text) {
            return add(new Heading(text));
        }

        Builder paragraph(String text) {
            return add(new Paragraph(null, text));
        }

        Builder paragraph(String id, String text) {
            return add(new Paragraph(id, text));
        }

        /** Adds a row to the name/value table being built, starting one after any other block. */
        Builder field(String name, String value) {
            if (fields == null) {
                fields = new ArrayList<>();
                blocks.add(new Fields(fields));
            }
            fields.add(new Field(name, value));
            return this;
        }

        Builder table(List<String> header, List<List<String>> rows) {
            return add(new Table(List.copyOf(header), List.copyOf(rows)));
        }

        Builder figure(List<Key> keys, Chart chart) {
            return add(new Figure(List.copyOf(keys), chart));
        }

        private Builder add(Block block) {
            fields = null;
            blocks.add(block);
            return this;
        }

        Document build() {
            return new Document(title, blocks.stream().map(b -> b instanceof Fields f ? new Fields(List.copyOf(f.fields())) : b).toList());
        }
    }
}
