package io.hotsnap.lab;

import java.nio.file.Path;

/** Everything fixed about one lab VM before it starts. */
public record LabVmSpec(
        String name,
        String ip,
        String peerIp,
        String mac,
        String tap,
        Path qmp,
        Path serialLog,
        Path disk,
        Path pidFile,
        int memoryMiB) {
}
