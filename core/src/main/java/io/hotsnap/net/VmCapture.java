package io.hotsnap.net;

import java.util.List;

/**
 * The TCP frames one VM sent and was given during a capture, on the capturing host's clock.
 *
 * @param truncated the capture reached its byte cap: the frames after it are missing
 */
public record VmCapture(String vm, List<TcpPacket> sent, List<TcpPacket> arrived, boolean truncated) {
}
