package io.hotsnap.report;

import java.awt.Rectangle;
import java.io.StringWriter;
import java.util.Locale;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.apache.batik.svggen.SVGCSSStyler;
import org.apache.batik.svggen.SVGGeneratorContext;
import org.apache.batik.svggen.SVGGraphics2D;
import org.apache.batik.svggen.SVGIDGenerator;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A chart as inline SVG, drawn by Batik's SVG generator from the chart's own Java2D drawing. Inline
 * in HTML it needs no namespace, so the opening tag is written here without the serializer's: the
 * report then holds no address at all, and references nothing outside itself (its clip paths are
 * fragments). Batik's root style, the Java2D defaults the drawing relies on, moves onto a group
 * around the drawing.
 */
final class SvgWriter {

    /** Batik's fixed id for the root's shared definitions; prefixed like the others. */
    private static final String GENERIC_DEFS = "genericDefs";

    private SvgWriter() {
    }

    /** @param id unique within the page: it prefixes the chart's ids, which share the page's id space */
    static String write(Document.Chart chart, String id) {
        SVGGeneratorContext context = SVGGeneratorContext.createDefault(newDom());
        context.setComment(null);
        context.setIDGenerator(new PrefixedIds(id + "-"));
        SVGGraphics2D g = new SVGGraphics2D(context, false); // false: text stays text, not outlines
        chart.chart().draw(g, new Rectangle(chart.width(), chart.height()));
        Element root = g.getRoot();
        prefixGenericDefs(root, id + "-");
        String xml = serialize(root);
        String body = xml.substring(xml.indexOf('>') + 1, xml.lastIndexOf("</svg>"));
        return String.format(Locale.ROOT,
                "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\"><g style=\"%s\">%s</g></svg>",
                chart.width(), chart.height(), chart.width(), chart.height(), Html.escape(chart.label()),
                Html.escape(root.getAttribute("style")), body);
    }

    private static org.w3c.dom.Document newDom() {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's default DOM builder is always configured", e);
        }
    }

    private static void prefixGenericDefs(Element root, String prefix) {
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && GENERIC_DEFS.equals(e.getAttribute("id"))) {
                e.setAttribute("id", prefix + GENERIC_DEFS);
            }
        }
    }

    /**
     * The JDK's serializer rather than Batik's stream(), which pretty-prints inside tags ({@code </text\n>}) and
     * writes a prolog; Batik's presentation attributes become style properties first, one attribute per element.
     */
    private static String serialize(Element root) {
        SVGCSSStyler.style(root);
        StringWriter out = new StringWriter();
        try {
            Transformer t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            t.transform(new DOMSource(root), new StreamResult(out));
        } catch (TransformerException e) {
            throw new IllegalStateException("serializing a DOM into a string cannot fail", e);
        }
        return out.toString();
    }

    /** Batik numbers its ids (clipPath1, ...) per drawing; the prefix keeps them apart on one page. */
    private static final class PrefixedIds extends SVGIDGenerator {
        private final String prefix;

        PrefixedIds(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public String generateID(String kind) {
            return prefix + super.generateID(kind);
        }
    }
}
