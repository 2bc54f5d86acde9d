package io.hotsnap.libvirt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibvirtSaveImageTest {

    /**
     * The first 92 bytes of a file {@code virsh save} (libvirt 9.0, x86_64) wrote here: magic,
     * version 2, data length 67368 (XML 1596 bytes with its NUL, cookie, 64 KiB padding), running,
     * raw, cookie at 1596, 14 zero words.
     */
    private static final byte[] VIRSH_SAVE_HEADER = HexFormat.of().parseHex(
            "4c69627669727451656d756453617665" + "02000000" + "28070100" + "01000000" + "00000000" + "3c060000" + "00".repeat(56));

    @TempDir
    Path dir;

    @Test
    void encodesTheHeaderByteForByteAsVirshSaveDoes() {
        LibvirtSaveImage.Header h = new LibvirtSaveImage.Header(true, 2, 67368, true, 0, 1596);
        assertArrayEquals(VIRSH_SAVE_HEADER, h.encode().array());
    }

    @Test
    void readsAVirshSaveImageItsXmlCookieAndWhereTheStreamStarts() throws IOException {
        String xml = "<domain type='qemu'><name>web1</name></domain>";
        String cookie = "<cookie><cpu mode='custom'/></cookie>";
        ByteBuffer data = ByteBuffer.allocate(67368);
        data.put(xml.getBytes(StandardCharsets.UTF_8)).position(1596).put(cookie.getBytes(StandardCharsets.UTF_8));
        Path file = dir.resolve("web1.save");
        Files.write(file, concat(VIRSH_SAVE_HEADER, data.array(), "QEVM".getBytes(StandardCharsets.US_ASCII)));

        LibvirtSaveImage.Contents c = LibvirtSaveImage.read(file);

        assertEquals(xml, c.domainXml());
        assertEquals(Optional.of(cookie), c.cookie());
        assertTrue(c.header().wasRunning());
        assertEquals(67460, c.header().streamOffset());
        assertEquals("QEVM", streamStart(file, c.header().streamOffset()));
    }

    @Test
    void writesHeaderXmlPaddingThenTheWholeStreamPrivately() throws IOException {
        byte[] stream = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(7).nextBytes(stream);
        System.arraycopy("QEVM".getBytes(StandardCharsets.US_ASCII), 0, stream, 0, 4);
        Path memory = Files.write(dir.resolve("memory.bin"), stream);
        Path out = dir.resolve("vm.save");
        String xml = "<domain type='qemu'><name>vm-ü</name></domain>";

        LibvirtSaveImage.Header written = LibvirtSaveImage.write(out, xml, memory, true);
        LibvirtSaveImage.Contents read = LibvirtSaveImage.read(out);

        assertEquals(written, read.header());
        assertEquals(xml, read.domainXml());
        assertEquals(Optional.empty(), read.cookie());
        assertEquals(xml.getBytes(StandardCharsets.UTF_8).length + 1 + 65536, read.header().dataLength());
        assertEquals(read.header().streamOffset() + stream.length, Files.size(out));
        byte[] all = Files.readAllBytes(out);
        assertArrayEquals(stream, Arrays.copyOfRange(all, (int) read.header().streamOffset(), all.length));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
    }

    @Test
    void refusesAnImageWhoseWriterDidNotFinish() throws IOException {
        byte[] partial = VIRSH_SAVE_HEADER.clone();
        System.arraycopy("LibvirtQemudPart".getBytes(StandardCharsets.US_ASCII), 0, partial, 0, 16);
        Path file = Files.write(dir.resolve("half.save"), concat(partial, new byte[67368]));
        IOException e = assertThrows(IOException.class, () -> LibvirtSaveImage.read(file));
        assertTrue(e.getMessage().contains("incomplete"), e.getMessage());
    }

    @Test
    void refusesAFileThatIsNotASaveImage() throws IOException {
        Path file = Files.write(dir.resolve("memory.bin"), concat("QEVM".getBytes(StandardCharsets.US_ASCII), new byte[200]));
        IOException e = assertThrows(IOException.class, () -> LibvirtSaveImage.read(file));
        assertTrue(e.getMessage().contains("not a libvirt save image"), e.getMessage());
    }

    @Test
    void aFailedWriteLeavesNoFile() {
        Path out = dir.resolve("vm.save");
        assertThrows(IOException.class, () -> LibvirtSaveImage.write(out, "<domain/>", dir.resolve("no-such-memory"), true));
        assertFalse(Files.exists(out));
    }

    @Test
    void readsAHeaderWrittenOnABigEndianHost() {
        ByteBuffer big = ByteBuffer.allocate(92);
        big.put("LibvirtQemudSave".getBytes(StandardCharsets.US_ASCII)).putInt(2).putInt(70000).putInt(0).putInt(0).putInt(0);
        LibvirtSaveImage.Header h = LibvirtSaveImage.Header.decode(big.position(0));
        assertEquals(new LibvirtSaveImage.Header(true, 2, 70000, false, 0, 0), h);
    }

    private static String streamStart(Path file, long offset) throws IOException {
        byte[] all = Files.readAllBytes(file);
        return new String(all, (int) offset, 4, StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer b = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }
}
