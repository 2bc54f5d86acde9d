package io.hotsnap.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

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

    @Test
    void readsTcpFieldsAndMacsSkippingOtherFrames() throws IOException {
        ByteBuffer file = pcap(ByteOrder.LITTLE_ENDIAN, 0xa1b2c3d4, new long[] {1_700_000_000L, 123, 1_700_000_001L, 250_000},
                arpFrame(), tcpFrame(1448, 96));
        List<PcapReader.Frame> frames = PcapReader.read(file);
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
        List<PcapReader.Frame> frames = PcapReader.read(cut);
        assertEquals(1, frames.size());
        assertEquals(0, frames.get(0).tcp().payload());
        assertEquals(1_700_000_000L * 1_000_000 + 999_999, frames.get(0).tcp().atMicros());
    }

    @Test
    void pcapngIsRefusedWithTheReason() {
        ByteBuffer ng = ByteBuffer.allocate(32).putInt(0x0a0d0d0a).rewind();
        IOException e = assertThrows(IOException.class, () -> PcapReader.read(ng));
        assertEquals(true, e.getMessage().contains("pcapng"));
    }
}
