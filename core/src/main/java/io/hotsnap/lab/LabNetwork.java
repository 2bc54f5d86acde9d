package io.hotsnap.lab;

import io.hotsnap.host.HostCommand;
import io.hotsnap.settings.Waits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The lab's sealed LAN: one Linux bridge with no address and no real NIC, and one tap per VM. With
 * nothing attached but taps and no IP on the host side, no lab packet can leave the machine.
 */
final class LabNetwork {

    private LabNetwork() {
    }

    static void createBridge(String bridge) {
        ip("link", "add", bridge, "type", "bridge");
        disableIpv6(bridge);
        ip("link", "set", bridge, "up");
    }

    static void addTap(String bridge, String tap) {
        // The name is this lab's own; one left by a crashed run would make the add fail.
        deleteQuietly(tap);
        ip("tuntap", "add", "dev", tap, "mode", "tap");
        disableIpv6(tap);
        ip("link", "set", tap, "master", bridge, "up");
    }

    static boolean exists(String link) {
        return Files.exists(Path.of("/sys/class/net", link));
    }

    /** Removes a link if present; used on teardown and rollback, so it never throws. */
    static void deleteQuietly(String link) {
        if (exists(link)) {
            HostCommand.run(List.of("ip", "link", "del", link), Waits.IP_COMMAND);
        }
    }

    /** Not even an IPv6 link-local address: the host side of the lab LAN stays silent. */
    private static void disableIpv6(String link) {
        try {
            Files.writeString(Path.of("/proc/sys/net/ipv6/conf", link, "disable_ipv6"), "1");
        } catch (IOException e) {
            // a kernel without IPv6 has nothing to disable
        }
    }

    private static void ip(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("ip");
        cmd.addAll(List.of(args));
        HostCommand.check(cmd, Waits.IP_COMMAND);
    }
}
