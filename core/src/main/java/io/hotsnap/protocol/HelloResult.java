package io.hotsnap.protocol;

import java.util.List;

/**
 * The agent's answer to {@code hello}.
 *
 * @param version        the protocol version the agent speaks
 * @param capabilities   the request types (and later modes) it serves; anything else gets {@code unsupported}
 * @param qemu           the QEMU binaries found on the host, with their versions; empty without QEMU
 * @param hostTimeMicros the host's wall clock when answering (a first, rough clock check; {@code ping} is precise)
 */
public record HelloResult(int version, List<String> capabilities, List<QemuBinary> qemu, String hostName, long hostTimeMicros) {

    /** One QEMU system emulator, e.g. {@code qemu-system-x86_64} 7.2.22. */
    public record QemuBinary(String binary, String version) {
    }
}
