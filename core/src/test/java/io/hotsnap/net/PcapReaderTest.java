package io.hotsnap.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapReaderTest {

    private static final byte[] SRC_MAC = {0x52, 0x54, 0, 0x4d, 0, 1};
    private static final byte[] DST_MAC = {0x52, 0x54, 0, 0x4d, 0, 2};

    /** Ethernet + IPv4 (20 bytes) + TCP (32 bytes with options) + payload, captured up to {@code snap} bytes. */
    private static byte[] tcpFrame(int payload, int snap) {
        ByteBuffer f = ByteBuffer.allocate(14 + 20 + 32 + payload);
        f.put(DST_MAC).put(SRC_MAC).putShort((short) 0x0800);
        f.put((byte) 0x45).put((byte) 0).putShort((short) (20 + 32 + payload)).putShort((short) 0x1234).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 6).putShort((short) 0).putInt(0x0a4d0001).putInt(0x0a4d0002);
        f.putShort((short) 40000).putShort((short) 5001).putInt(0xfffffff0).putInt(7).put((byte) 0x80).put((byte) 0x18)
                .putShort((short) 512).putInt(0).put(new byte[12]);
        byte[] all = f.array();
        return java.util.Arrays.copyOf(all, Math.min(snap, all.length));
    }

    private static byte[] arpFrame() {
        ByteBuffer f = ByteBuffer.allocate(42);
        f.put(DST_MAC).put(SRC_MAC).putShort((short) 0x0806);
        return f.array();
    }

    /** @param stamps seconds and fraction (µs or ns, as the magic says) per frame */
    private static ByteBuffer pcap(ByteOrder order, int magic, long[] stamps, byte[]... frames) {
        ByteBuffer b = ByteBuffer.allocate(24 + frames.length * 16 + java.util.Arrays.stream(frames).mapToInt(f -> f.length).sum())
                .order(order);
        b.putInt(magic).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        for (int i = 0; i < frames.length; i++) {
            b.putInt((int) stamps[2 * i]).putInt((int) stamps[2 * i + 1]).putInt(frames[i].length)
                    .putInt(frames[i].length).put(frames[i]);
        }
        return b.flip();
    }

    private static List<PcapReader.Frame> frames(ByteBuffer file) throws IOException {
        List<PcapReader.Frame> frames = new ArrayList<>();
        byte[] bytes = new byte[file.remaining()];
        file.get(bytes);
        PcapReader.Summary summary = PcapReader.read(new ByteArrayInputStream(bytes), Long.MAX_VALUE, frames::add);
        assertFalse(summary.cut());
        return frames;
    }

    @Test
    void aCaptureFarPastItsCapIsReadAsAStreamUpToTheCapAndSaidToBeCut(@TempDir Path dir) throws IOException {
        ByteBuffer start = pcap(ByteOrder.LITTLE_ENDIAN, 0xa1b2c3d4, new long[] {1_700_000_000L, 1, 1_700_000_000L, 2, 1_700_000_000L, 3},
                tcpFrame(0, 96), tcpFrame(0, 96), tcpFrame(0, 96));
        Path file = dir.resolve("big.pcap");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(start);
            // Sparse: 3 GiB on the file's word, nothing on the disk; more than any byte array can hold.
            ch.write(ByteBuffer.wrap(new byte[] {0}), 3L << 30);
        }
        List<PcapReader.Frame> frames = new ArrayList<>();
        long cap = 24 + 2 * (16 + 66) + 50; // two 66-byte frames and part of the third
        PcapReader.Summary summary = PcapReader.read(file, cap, frames::add);
        assertEquals(2, frames.size(), "the frames within the cap");
        assertEquals(2, summary.records());
        assertTrue(summary.cut(), "the file goes on past the cap");
    }

    @Test
    void readsTcpFieldsAndMacsSkippingOtherFrames() throws IOException {
        ByteBuffer file = pcap(ByteOrder.LITTLE_ENDIAN, 0xa1b2c3d4, new long[] {1_700_000_000L, 123, 1_700_000_001L, 250_000},
                arpFrame(), tcpFrame(1448, 96));
        List<PcapReader.Frame> frames = frames(file);
        assertEquals(1, frames.size());
        PcapReader.Frame f = frames.get(0);
        assertEquals("52:54:00:4d:00:01", f.srcMac());
        assertEquals("52:54:00:4d:00:02", f.dstMac());
        TcpPacket p = f.tcp();
        assertEquals(1_700_000_001L * 1_000_000 + 250_000, p.atMicros());
        assertEquals(40000, p.srcPort());
        assertEquals(5001, p.dstPort());
        assertEquals(0xfffffff0L, p.seq());
        assertEquals(1448, p.payload(), "payload from the IP length, though the snap length cut it off");
        assertEquals(0x1234, p.ipId());
        assertEquals((0xfffffff0L + 1448) & 0xffffffffL, p.seqEnd(), "sequence numbers wrap");
    }

    @Test
    void readsBigEndianNanosecondFilesAndStopsAtATruncatedRecord() throws IOException {
        ByteBuffer whole = pcap(ByteOrder.BIG_ENDIAN, 0xa1b23c4d, new long[] {1_700_000_000L, 999_999_999, 1_700_000_001L, 0},
                tcpFrame(0, 200), tcpFrame(10, 200));
        ByteBuffer cut = whole.slice(0, whole.limit() - 5);
        List<PcapReader.Frame> frames = frames(cut);
        assertEquals(1, frames.size());
        assertEquals(0, frames.get(0).tcp().payload());
        assertEquals(1_700_000_000L * 1_000_000 + 999_999, frames.get(0).tcp().atMicros());
    }

    @Test
    void pcapngIsRefusedWithTheReason() {
        ByteBuffer ng = ByteBuffer.allocate(32).putInt(0x0a0d0d0a).rewind();
        IOException e = assertThrows(IOException.class, () -> frames(ng));
        assertEquals(true, e.getMessage().contains("pcapng"));
    }
}
