package io.hotsnap.net;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Reads the IPv4 TCP frames of a classic pcap file (what {@code tcpdump -w} writes: Ethernet link
 * type, µs or ns stamps, either byte order) as a stream, up to a byte limit. Everything else is
 * skipped. A record cut short at the end (the capture was stopped mid-write) ends the file quietly.
 *
 * <p>Our own reader rather than a library: we need four headers' worth of fields, and the one
 * pure-Java library (pkts) carries far more than that for this.
 */
public final class PcapReader {

    private static final int MAGIC_MICROS = 0xa1b2c3d4;
    private static final int MAGIC_NANOS = 0xa1b23c4d;
    private static final int LINKTYPE_ETHERNET = 1;
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int PROTO_TCP = 6;
    /** tcpdump's largest snap length. */
    private static final int MAX_RECORD = 262_144;

    /** A captured TCP frame with the MAC addresses that tell who sent it and to whom. */
    public record Frame(String srcMac, String dstMac, TcpPacket tcp) {
    }

    private PcapReader() {
    }

    /**
     * What a read found.
     *
     * @param records every record the file held up to the limit (TCP or not)
     * @param cut     whether the file went on past the byte limit, unread
     */
    public record Summary(long records, boolean cut) {
    }

    /** Hands each IPv4 TCP frame of the file's first {@code limitBytes} to {@code frames}, reading it as a stream. */
    public static Summary read(Path file, long limitBytes, Consumer<Frame> frames) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(in, limitBytes, frames);
        }
    }

    static Summary read(InputStream in, long limitBytes, Consumer<Frame> frames) throws IOException {
        byte[] fileHeader = in.readNBytes(24);
        if (fileHeader.length < 24) {
            throw new IOException("not a pcap file: " + fileHeader.length + " bytes");
        }
        ByteBuffer header = ByteBuffer.wrap(fileHeader).order(ByteOrder.LITTLE_ENDIAN);
        int magic = header.getInt(0);
        if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
            header.order(ByteOrder.BIG_ENDIAN);
            magic = header.getInt(0);
        }
        if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
            throw new IOException(String.format("not a classic pcap file (magic %08x; pcapng is not read)", header.getInt(0)));
        }
        boolean nanos = magic == MAGIC_NANOS;
        int linkType = header.getInt(20) & 0x0fffffff;
        if (linkType != LINKTYPE_ETHERNET) {
            throw new IOException("pcap link type " + linkType + " is not Ethernet");
        }
        // One record's worth of buffers, reused: memory stays the same whatever the file's size.
        ByteBuffer record = ByteBuffer.allocate(16).order(header.order());
        byte[] data = new byte[MAX_RECORD];
        long at = 24;
        long records = 0;
        while (true) {
            if (at + 16 > limitBytes) {
                return new Summary(records, in.read() >= 0);
            }
            if (in.readNBytes(record.array(), 0, 16) < 16) {
                break;
            }
            int captured = record.getInt(8);
            if (captured < 0 || captured > MAX_RECORD) {
                break; // not a record: what follows cannot be trusted
            }
            if (at + 16 + captured > limitBytes) {
                return new Summary(records, true);
            }
            if (in.readNBytes(data, 0, captured) < captured) {
                break;
            }
            at += 16 + captured;
            records++;
            long seconds = record.getInt(0) & 0xffffffffL;
            long fraction = record.getInt(4) & 0xffffffffL;
            long micros = seconds * 1_000_000 + (nanos ? fraction / 1000 : fraction);
            Frame frame = frame(ByteBuffer.wrap(data, 0, captured).order(ByteOrder.BIG_ENDIAN), micros);
            if (frame != null) {
                frames.accept(frame);
            }
        }
        return new Summary(records, false);
    }

    /** The frame's TCP segment, or null for anything that is not IPv4 TCP (or too short to tell). */
    private static Frame frame(ByteBuffer f, long micros) {
        if (f.limit() < 14) {
            return null;
        }
        int ip = 14;
        int etherType = f.getShort(12) & 0xffff;
        if (etherType == ETHERTYPE_VLAN && f.limit() >= 18) {
            etherType = f.getShort(16) & 0xffff;
            ip = 18;
        }
        if (etherType != ETHERTYPE_IPV4 || f.limit() < ip + 20) {
            return null;
        }
        int ipHeader = (f.get(ip) & 0x0f) * 4;
        int totalLength = f.getShort(ip + 2) & 0xffff;
        boolean firstFragment = (f.getShort(ip + 6) & 0x1fff) == 0;
        if (f.get(ip + 9) != PROTO_TCP || !firstFragment || f.limit() < ip + ipHeader + 20) {
            return null;
        }
        int tcp = ip + ipHeader;
        int tcpHeader = ((f.get(tcp + 12) >> 4) & 0x0f) * 4;
        TcpPacket packet = new TcpPacket(micros, f.getInt(ip + 12), f.getShort(tcp) & 0xffff, f.getInt(ip + 16),
                f.getShort(tcp + 2) & 0xffff, f.getInt(tcp + 4) & 0xffffffffL, f.getInt(tcp + 8) & 0xffffffffL,
                Math.max(0, totalLength - ipHeader - tcpHeader), f.get(tcp + 13) & 0x3f, f.getShort(ip + 4) & 0xffff);
        return new Frame(mac(f, 6), mac(f, 0), packet);
    }

    private static String mac(ByteBuffer f, int offset) {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(String.format("%02x", f.get(offset + i) & 0xff));
        }
        return sb.toString();
    }
}
