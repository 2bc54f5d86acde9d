package io.hotsnap.libvirt;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The domain XML recorded at snapshot time, made into the XML a restore starts: every disk the
 * snapshot copied points at its overlay, and a clone gets its own name, UUID and serial/console
 * log files. Nothing else changes, because QEMU loads the device state only into the same devices.
 */
public final class RestoreXml {

    private final Document doc;

    private RestoreXml(Document doc) {
        this.doc = doc;
    }

    public static RestoreXml parse(String domainXml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            var builder = f.newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler()); // the default one prints to stderr; the exception says it all
            Document doc = builder.parse(new InputSource(new StringReader(domainXml)));
            if (!doc.getDocumentElement().getTagName().equals("domain")) {
                throw new IllegalArgumentException("the recorded XML is not a libvirt domain (root <" + doc.getDocumentElement().getTagName() + ">)");
            }
            return new RestoreXml(doc);
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalArgumentException("the recorded domain XML does not parse: " + e.getMessage(), e);
        }
    }

    public String name() {
        return child(doc.getDocumentElement(), "name").map(Node::getTextContent).orElse("");
    }

    public String uuid() {
        return child(doc.getDocumentElement(), "uuid").map(Node::getTextContent).orElse("");
    }

    /**
     * Points each disk whose source (a file, or a block device's {@code dev}) is a key of {@code
     * overlays} at its overlay (a qcow2 file, so a block disk becomes a file disk), and a UEFI domain's
     * {@code <nvram>} at its restored VARS.
     *
     * @throws IllegalArgumentException naming a disk of the snapshot the XML does not have
     */
    public RestoreXml withOverlays(Map<String, Path> overlays) {
        NodeList disks = doc.getElementsByTagName("disk");
        Set<String> found = new HashSet<>();
        for (int i = 0; i < disks.getLength(); i++) {
            Element disk = (Element) disks.item(i);
            Optional<Element> source = child(disk, "source").filter(s -> overlays.containsKey(opened(s)));
            if (source.isEmpty()) {
                continue;
            }
            String original = opened(source.get());
            found.add(original);
            source.get().removeAttribute("dev");
            source.get().setAttribute("file", overlays.get(original).toString());
            disk.setAttribute("type", "file");
            child(disk, "driver").ifPresent(d -> d.setAttribute("type", "qcow2"));
            // The overlay's backing chain is in the file; a recorded chain would name the original's.
            child(disk, "backingStore").ifPresent(disk::removeChild);
        }
        found.addAll(withNvram(overlays));
        for (String original : overlays.keySet()) {
            if (!found.contains(original)) {
                throw new IllegalArgumentException("the domain XML has no disk " + original + " that the snapshot copied");
            }
        }
        return this;
    }

    /**
     * A UEFI domain's {@code <nvram>} (its VARS flash, which QEMU lists as a writable disk) pointed at
     * its restored copy, a raw file as libvirt expects: as text ({@code <nvram>PATH</nvram>}) or, in
     * newer libvirt, {@code <nvram type='file'><source file='PATH'/></nvram>}.
     */
    private Set<String> withNvram(Map<String, Path> overlays) {
        Set<String> found = new HashSet<>();
        NodeList nvrams = doc.getElementsByTagName("nvram");
        for (int i = 0; i < nvrams.getLength(); i++) {
            Element nvram = (Element) nvrams.item(i);
            Optional<Element> source = child(nvram, "source");
            String original = source.map(s -> s.getAttribute("file")).orElse(nvram.getTextContent().strip());
            Path restored = overlays.get(original);
            if (restored == null) {
                continue;
            }
            found.add(original);
            if (source.isPresent()) {
                source.get().setAttribute("file", restored.toString());
            } else {
                nvram.setTextContent(restored.toString());
            }
        }
        return found;
    }

    /**
     * The disks the guest writes (not read-only, not shareable, not a CD-ROM or floppy) whose source
     * is none of {@code copied}: after {@link #withOverlays}, those the snapshot has no copy of.
     */
    public java.util.List<String> writableDisksOtherThan(Set<String> copied) {
        java.util.List<String> found = new java.util.ArrayList<>();
        NodeList disks = doc.getElementsByTagName("disk");
        for (int i = 0; i < disks.getLength(); i++) {
            Element disk = (Element) disks.item(i);
            String device = disk.getAttribute("device");
            if (!(device.isEmpty() || device.equals("disk") || device.equals("lun")) || child(disk, "readonly").isPresent()
                    || child(disk, "shareable").isPresent()) {
                continue;
            }
            child(disk, "source").map(RestoreXml::opened).filter(path -> !path.isEmpty() && !copied.contains(path)).ifPresent(found::add);
        }
        return found;
    }

    /** What a disk's source opens: a file, a block device, a network disk ({@code rbd:pool/image}) or a pool's volume. */
    private static String opened(Element source) {
        for (String attr : new String[] {"file", "dev"}) {
            if (source.hasAttribute(attr)) {
                return source.getAttribute(attr);
            }
        }
        if (source.hasAttribute("protocol")) {
            return source.getAttribute("protocol") + ":" + source.getAttribute("name");
        }
        return source.hasAttribute("volume") ? "volume " + source.getAttribute("pool") + "/" + source.getAttribute("volume") : "";
    }

    /**
     * A clone: new name and UUID; its file-backed serial/console logs and the extra QMP socket of a
     * {@code <qemu:commandline>} renamed so two domains never share one; every NIC on a tap of its
     * own that joins no network, because the clone has the original's MAC and IP (device state)
     * and would clash with it on the original's LAN. The NIC itself (model, MAC) stays: QEMU loads
     * its state only into the same device.
     */
    public RestoreXml asClone(String newName, UUID newUuid) {
        String oldName = name();
        Element root = doc.getDocumentElement();
        child(root, "name").orElseThrow(() -> new IllegalArgumentException("the domain XML has no <name>")).setTextContent(newName);
        Element uuid = child(root, "uuid").orElseGet(() -> (Element) root.insertBefore(doc.createElement("uuid"), child(root, "name").get().getNextSibling()));
        uuid.setTextContent(newUuid.toString());
        for (String tag : new String[] {"serial", "console"}) {
            NodeList chardevs = doc.getElementsByTagName(tag);
            for (int i = 0; i < chardevs.getLength(); i++) {
                Element dev = (Element) chardevs.item(i);
                if (dev.getAttribute("type").equals("file")) {
                    child(dev, "source").ifPresent(s -> s.setAttribute("path", clonePath(s.getAttribute("path"), oldName, newName)));
                }
            }
        }
        isolateNics();
        renameExtraSocket(oldName, newName);
        return this;
    }

    private void isolateNics() {
        NodeList nics = doc.getElementsByTagName("interface");
        for (int i = 0; i < nics.getLength(); i++) {
            Element nic = (Element) nics.item(i);
            nic.setAttribute("type", "ethernet");
            for (String tag : new String[] {"source", "target", "virtualport", "vlan"}) {
                child(nic, tag).ifPresent(nic::removeChild);
            }
        }
    }

    /** The extra QMP socket's path in every {@code <qemu:arg>} that names it. */
    private void renameExtraSocket(String oldName, String newName) {
        Optional<Path> socket = DomainXml.extraQmpSocket(toXml());
        if (socket.isEmpty()) {
            return;
        }
        String path = socket.get().toString();
        String renamed = clonePath(path, oldName, newName);
        NodeList args = doc.getElementsByTagName("qemu:arg"); // the prefix libvirt itself writes
        for (int i = 0; i < args.getLength(); i++) {
            Element arg = (Element) args.item(i);
            if (arg.getAttribute("value").contains(path)) {
                arg.setAttribute("value", arg.getAttribute("value").replace(path, renamed));
            }
        }
    }

    /** {@code /x/web1.serial.log} becomes {@code /x/web1-copy.serial.log}; a path without the old name gets a suffix. */
    static String clonePath(String path, String oldName, String newName) {
        Path p = Path.of(path);
        String file = p.getFileName().toString();
        String renamed = !oldName.isEmpty() && file.contains(oldName) ? file.replace(oldName, newName) : file + "." + newName;
        return p.resolveSibling(renamed).toString();
    }

    public String toXml() {
        try {
            var t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter w = new StringWriter();
            t.transform(new DOMSource(doc), new StreamResult(w));
            return w.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException("a parsed DOM always serialises", e);
        }
    }

    private static Optional<Element> child(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
