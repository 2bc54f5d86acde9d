package io.hotsnap.lab;

import io.hotsnap.host.HostPaths;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code lab up} builds. Name prefix, bridge and subnet are part of it so that an
 * integration-test lab can run beside an administrator's own lab on the same host.
 *
 * @param subnet the first three octets of the lab LAN (a /24 that only exists on the lab bridge)
 */
public record LabConfig(
        int vms,
        int memoryMiB,
        String accel,
        int dirtyMiBps,
        Path dir,
        Path socketDir,
        Path guestCache,
        Optional<Path> kernel,
        String namePrefix,
        String bridge,
        String subnet) {

    public static final int DEFAULT_VMS = 3;
    public static final int DEFAULT_MEMORY_MIB = 256;

    public static LabConfig defaults() {
        Path sockets = HostPaths.socketDir();
        return new LabConfig(DEFAULT_VMS, DEFAULT_MEMORY_MIB, "auto", 0,
                sockets.resolve("lab"), sockets, HostPaths.cacheDir().resolve("guest"), Optional.empty(),
                "lab", "hsbr0", "10.77.0");
    }

    public LabConfig withVms(int n) {
        return new LabConfig(n, memoryMiB, accel, dirtyMiBps, dir, socketDir, guestCache, kernel, namePrefix, bridge, subnet);
    }

    public LabConfig withMemoryMiB(int mib) {
        return new LabConfig(vms, mib, accel, dirtyMiBps, dir, socketDir, guestCache, kernel, namePrefix, bridge, subnet);
    }

    public LabConfig withAccel(String a) {
        return new LabConfig(vms, memoryMiB, a, dirtyMiBps, dir, socketDir, guestCache, kernel, namePrefix, bridge, subnet);
    }

    public LabConfig withDirtyMiBps(int rate) {
        return new LabConfig(vms, memoryMiB, accel, rate, dir, socketDir, guestCache, kernel, namePrefix, bridge, subnet);
    }

    public LabConfig withDir(Path d) {
        return new LabConfig(vms, memoryMiB, accel, dirtyMiBps, d, socketDir, guestCache, kernel, namePrefix, bridge, subnet);
    }

    public LabConfig withKernel(Optional<Path> k) {
        return new LabConfig(vms, memoryMiB, accel, dirtyMiBps, dir, socketDir, guestCache, k, namePrefix, bridge, subnet);
    }

    /** A second, independent lab: its own names, bridge and subnet. */
    public LabConfig withIdentity(String prefix, String bridgeName, String subnetPrefix) {
        return new LabConfig(vms, memoryMiB, accel, dirtyMiBps, dir, socketDir, guestCache, kernel, prefix, bridgeName, subnetPrefix);
    }

    /** The spec of VM number {@code i} (1-based): its name, files, address and the peer it streams to. */
    LabVmSpec vm(int i) {
        String name = namePrefix + i;
        int next = i % vms + 1;
        return new LabVmSpec(
                name,
                subnet + "." + (10 + i),
                vms > 1 ? subnet + "." + (10 + next) : "",
                String.format("52:54:00:%02x:%02x:%02x", Math.abs(bridge.hashCode()) % 256, Math.abs(subnet.hashCode()) % 256, i),
                tapName(name),
                socketDir.resolve(name + ".qmp"),
                dir.resolve(name + ".serial.log"),
                dir.resolve(name + ".qcow2"),
                dir.resolve(name + ".pid"),
                memoryMiB);
    }

    /** Linux caps interface names at 15 characters. */
    private static String tapName(String vmName) {
        String t = "hs-" + vmName;
        return t.length() <= 15 ? t : t.substring(0, 15);
    }
}
