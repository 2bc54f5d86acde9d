package io.hotsnap.report;

import java.util.List;

/**
 * A {@link Document} as one self-contained HTML page: styles inline, charts as inline SVG, nothing
 * fetched, so that it opens offline and can be mailed as it is. Every text is escaped.
 */
final class HtmlWriter {

    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:60em}
            table{border-collapse:collapse;margin:.5em 0}
            th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right;white-space:nowrap}
            th:first-child,td:first-child,.fields td{text-align:left}
            .key{display:inline-block;width:1em;height:.8em;margin:0 .3em 0 1em}
            """;

    private HtmlWriter() {
    }

    static String write(Document doc) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>HotSnap ").append(e(doc.title()))
                .append("</title>\n<style>").append(STYLE).append("</style></head><body>\n");
        sb.append("<h1>").append(e(doc.title())).append("</h1>\n");
        for (int i = 0; i < doc.blocks().size(); i++) {
            block(sb, doc.blocks().get(i), "chart" + i);
        }
        return sb.append("</body></html>\n").toString();
    }

    // Java 17 has no pattern matching for switch: one instanceof per kind of block.
    private static void block(StringBuilder sb, Document.Block b, String id) {
        if (b instanceof Document.Heading h) {
            sb.append("<h2>").append(e(h.text())).append("</h2>\n");
        } else if (b instanceof Document.Paragraph p) {
            sb.append(p.id() == null ? "<p>" : "<p id=\"" + e(p.id()) + "\">").append(e(p.text())).append("</p>\n");
        } else if (b instanceof Document.Fields f) {
            sb.append("<table class=\"fields\">\n");
            f.fields().forEach(x -> sb.append("<tr><th>").append(e(x.name())).append("</th><td>").append(e(x.value())).append("</td></tr>\n"));
            sb.append("</table>\n");
        } else if (b instanceof Document.Table t) {
            sb.append("<table>\n");
            row(sb, "th", t.header());
            t.rows().forEach(r -> row(sb, "td", r));
            sb.append("</table>\n");
        } else {
            Document.Figure f = (Document.Figure) b;
            if (!f.keys().isEmpty()) {
                sb.append("<p>");
                f.keys().forEach(k -> sb.append("<span class=\"key\" style=\"background:").append(e(k.colour())).append("\"></span>")
                        .append(e(k.label())));
                sb.append("</p>\n");
            }
            sb.append(SvgWriter.write(f.chart(), id)).append('\n');
        }
    }

    private static void row(StringBuilder sb, String cell, List<String> values) {
        sb.append("<tr>");
        values.forEach(v -> sb.append('<').append(cell).append('>').append(e(v)).append("</").append(cell).append('>'));
        sb.append("</tr>\n");
    }

    private static String e(String text) {
        return Html.escape(text);
    }
}
