package io.hotsnap.net;

import java.util.List;

/** The TCP frames one VM sent and was given during a capture, on the capturing host's clock. */
public record VmCapture(String vm, List<TcpPacket> sent, List<TcpPacket> arrived) {
}
