package io.hotsnap.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the IPv4 TCP frames of a classic pcap file (what {@code tcpdump -w} writes: Ethernet link
 * type, µs or ns stamps, either byte order). Everything else is skipped. A record cut short at the
 * end (the capture was stopped mid-write) ends the file quietly.
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

    /** A captured TCP frame with the MAC addresses that tell who sent it and to whom. */
    public record Frame(String srcMac, String dstMac, TcpPacket tcp) {
    }

    private PcapReader() {
    }

    public static List<Frame> read(Path file) throws IOException {
        return read(ByteBuffer.wrap(Files.readAllBytes(file)));
    }

    static List<Frame> read(ByteBuffer in) throws IOException {
        if (in.remaining() < 24) {
            throw new IOException("not a pcap file: " + in.remaining() + " bytes");
        }
        in.order(ByteOrder.LITTLE_ENDIAN);
        int magic = in.getInt(0);
        if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
            in.order(ByteOrder.BIG_ENDIAN);
            magic = in.getInt(0);
        }
        if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
            throw new IOException(String.format("not a classic pcap file (magic %08x; pcapng is not read)", in.getInt(0)));
        }
        boolean nanos = magic == MAGIC_NANOS;
        int linkType = in.getInt(20) & 0x0fffffff;
        if (linkType != LINKTYPE_ETHERNET) {
            throw new IOException("pcap link type " + linkType + " is not Ethernet");
        }
        List<Frame> frames = new ArrayList<>();
        int at = 24;
        while (at + 16 <= in.limit()) {
            long seconds = in.getInt(at) & 0xffffffffL;
            long fraction = in.getInt(at + 4) & 0xffffffffL;
            int captured = in.getInt(at + 8);
            int start = at + 16;
            if (captured < 0 || start + captured > in.limit()) {
                break;
            }
            long micros = seconds * 1_000_000 + (nanos ? fraction / 1000 : fraction);
            Frame frame = frame(in.slice(start, captured).order(ByteOrder.BIG_ENDIAN), micros);
            if (frame != null) {
                frames.add(frame);
            }
            at = start + captured;
        }
        return frames;
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
