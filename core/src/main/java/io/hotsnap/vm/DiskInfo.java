package io.hotsnap.vm;

/** A writable disk as QEMU's {@code query-block} reports it. */
public record DiskInfo(String device, String nodeName, String file, String format, long sizeBytes) {
}
