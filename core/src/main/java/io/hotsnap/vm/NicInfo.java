package io.hotsnap.vm;

/**
 * A NIC and its backend ({@code ifname}: the host's tap device, for tap backends; else null). {@code vhost} matters: vhost-net moves the data path into the kernel,
 * where QEMU's net filters (and so the inbound hold) never see the packets.
 */
public record NicInfo(String id, String model, String mac, String netdev, String backend, String ifname, boolean vhost) {
}
