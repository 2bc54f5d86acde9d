package io.hotsnap.libvirt;

import io.hotsnap.host.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;

/**
 * libvirt's QEMU save image ({@code virsh save}/{@code virsh restore}), as libvirt 9.0 lays it out:
 * a 92-byte header, then {@code dataLength} bytes holding the domain XML (NUL-terminated), an
 * optional cookie and zero padding, then the raw QEMU migration stream. Our memory image is such a
 * stream, so wrapping it is enough for a plain {@code virsh restore} to bring the domain back.
 *
 * <p>Header: 16-byte magic, then uint32 version (2), dataLength, wasRunning, format (0 = raw),
 * cookieOffset (0 = no cookie), and 14 unused uint32. libvirt writes them in host order and
 * byte-swaps on read when the version looks too large, so little-endian is read on any host.
 */
public final class LibvirtSaveImage {

    public static final int HEADER_BYTES = 92;
    static final String MAGIC = "LibvirtQemudSave";
    /** libvirt writes this magic first and the real one last: a half-written image is never loaded. */
    static final String PARTIAL_MAGIC = "LibvirtQemudPart";
    static final int VERSION = 2;
    static final int FORMAT_RAW = 0;
    /** Room libvirt leaves so that {@code virsh save-image-edit} can grow the XML in place. */
    static final int XML_PADDING = 64 * 1024;

    private LibvirtSaveImage() {
    }

    public record Header(boolean complete, int version, int dataLength, boolean wasRunning, int format, int cookieOffset) {

        /** Where the migration stream starts. */
        public long streamOffset() {
            return HEADER_BYTES + Integer.toUnsignedLong(dataLength);
        }

        ByteBuffer encode() {
            ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            b.put((complete ? MAGIC : PARTIAL_MAGIC).getBytes(StandardCharsets.US_ASCII));
            b.putInt(version).putInt(dataLength).putInt(wasRunning ? 1 : 0).putInt(format).putInt(cookieOffset);
            return b.position(0); // the 14 unused words stay zero
        }

        static Header decode(ByteBuffer raw) {
            ByteBuffer b = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            byte[] magic = new byte[MAGIC.length()];
            b.get(magic);
            String m = new String(magic, StandardCharsets.US_ASCII);
            if (!m.equals(MAGIC) && !m.equals(PARTIAL_MAGIC)) {
                throw new IllegalArgumentException("not a libvirt save image (magic " + printable(m) + ")");
            }
            int version = b.getInt();
            if (Integer.compareUnsigned(version, VERSION) > 0) {
                b.order(ByteOrder.BIG_ENDIAN).position(MAGIC.length()); // written on a big-endian host
                version = b.getInt();
            }
            return new Header(m.equals(MAGIC), version, b.getInt(), b.getInt() != 0, b.getInt(), b.getInt());
        }

        private static String printable(String s) {
            return "'" + s.replaceAll("[^\\x20-\\x7e]", "?") + "'";
        }
    }

    /** What {@link #read} finds: the header, the domain XML and libvirt's cookie if there is one. */
    public record Contents(Header header, String domainXml, Optional<String> cookie) {
    }

    /**
     * Writes {@code out} (0600): header, {@code domainXml}, padding, then the memory image's bytes.
     * The header is marked complete only once everything is on disk; on failure nothing is left.
     *
     * @param wasRunning whether {@code virsh restore} resumes the domain (true) or leaves it paused
     */
    public static Header write(Path out, String domainXml, Path memoryImage, boolean wasRunning) throws IOException {
        byte[] xml = (domainXml + "\0").getBytes(StandardCharsets.UTF_8);
        Header partial = new Header(false, VERSION, xml.length + XML_PADDING, wasRunning, FORMAT_RAW, 0);
        PrivateFiles.createFile(out);
        try (FileChannel ch = FileChannel.open(out, StandardOpenOption.WRITE);
             FileChannel in = FileChannel.open(memoryImage, StandardOpenOption.READ)) {
            writeFully(ch, partial.encode());
            writeFully(ch, ByteBuffer.wrap(xml));
            writeFully(ch, ByteBuffer.allocate(XML_PADDING));
            long size = in.size();
            for (long done = 0; done < size; ) {
                done += in.transferTo(done, size - done, ch);
            }
            ch.force(true);
            Header complete = new Header(true, partial.version(), partial.dataLength(), wasRunning, partial.format(), 0);
            ch.position(0);
            writeFully(ch, complete.encode());
            ch.force(true);
            return complete;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(out);
            throw e;
        }
    }

    /** Reads a save image's header and XML (ours or one {@code virsh save} wrote). */
    public static Contents read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer raw = ByteBuffer.allocate(HEADER_BYTES);
            readFully(ch, raw, file);
            Header h;
            try {
                h = Header.decode(raw.flip());
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " is " + e.getMessage());
            }
            if (!h.complete()) {
                throw new IOException(file + " is an incomplete libvirt save image (its writer did not finish)");
            }
            if (h.version() > VERSION || h.version() < 1) {
                throw new IOException(file + " has save image version " + h.version() + "; version " + VERSION + " is known");
            }
            if (h.dataLength() <= 0 || h.cookieOffset() < 0 || h.cookieOffset() > h.dataLength()) {
                throw new IOException(file + " has a damaged save image header (data length " + h.dataLength()
                        + ", cookie offset " + h.cookieOffset() + ")");
            }
            ByteBuffer data = ByteBuffer.allocate(h.dataLength());
            readFully(ch, data, file);
            byte[] bytes = data.array();
            int xmlEnd = h.cookieOffset() > 0 ? h.cookieOffset() : bytes.length;
            String xml = cString(bytes, 0, xmlEnd);
            Optional<String> cookie = h.cookieOffset() > 0
                    ? Optional.of(cString(bytes, h.cookieOffset(), bytes.length)).filter(s -> !s.isEmpty())
                    : Optional.empty();
            return new Contents(h, xml, cookie);
        }
    }

    private static String cString(byte[] bytes, int from, int to) {
        int end = from;
        while (end < to && bytes[end] != 0) {
            end++;
        }
        return new String(Arrays.copyOfRange(bytes, from, end), StandardCharsets.UTF_8);
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, Path file) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new IOException(file + " ends inside its libvirt save image header");
            }
        }
    }
}
