package io.hotsnap.restore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the command line recorded at snapshot time (from {@code /proc/PID/cmdline}) into the one
 * that brings the VM back: disks on fresh overlays, waiting for its memory ({@code -incoming defer},
 * {@code -S}), and for a clone a name, sockets and files of its own and NICs on taps of their own
 * that join no network (a clone has the original's MAC and IP: on the original's LAN it would collide).
 */
final class QemuCommandLine {

    /** Options that must not come back: they would load or wait for something else. */
    private static final Set<String> DROPPED_WITH_VALUE = Set.of("-incoming", "-loadvm");
    private static final Set<String> DROPPED_ALONE = Set.of("-S");

    private QemuCommandLine() {
    }

    record Clone(String name, Path qmp, Path serialLog, Path pidFile) {
    }

    /**
     * @param overlays original disk file → the overlay to run on instead
     * @throws IllegalArgumentException naming what cannot be reused
     */
    static List<String> forRestore(List<String> recorded, Map<String, Path> overlays, Optional<Clone> clone) {
        if (recorded.isEmpty() || !isQemu(recorded.get(0))) {
            throw new IllegalArgumentException("the recorded command line is not a QEMU one: " + String.join(" ", recorded));
        }
        Map<Integer, BlockOption> disks = new TreeMap<>();
        for (int i = 1; i + 1 < recorded.size(); i++) {
            if (recorded.get(i).equals("-drive") || recorded.get(i).equals("-blockdev")) {
                disks.put(i + 1, BlockOption.parse(recorded.get(i), recorded.get(i + 1)));
            }
        }
        // The firmware's code is opened read-only by its format node, which may sit on another -blockdev than its file.
        List<String> firmwareCode = Firmware.of(recorded).code();
        List<String> uncopied = DiskRedirect.apply(List.copyOf(disks.values()), overlays).stream()
                .filter(f -> !firmwareCode.contains(f)).toList();
        if (!uncopied.isEmpty()) {
            throw new IllegalArgumentException(uncopiedDisks(uncopied));
        }
        List<String> out = new ArrayList<>();
        Set<String> droppedChardevs = new HashSet<>();
        for (int i = 0; i < recorded.size(); i++) {
            String opt = recorded.get(i);
            if (DROPPED_ALONE.contains(opt)) {
                continue;
            }
            // QEMU's switches (-daemonize, -nodefaults …) take no value; no option value starts with '-'.
            boolean hasValue = i + 1 < recorded.size() && !recorded.get(i + 1).startsWith("-");
            if (DROPPED_WITH_VALUE.contains(opt)) {
                i += hasValue ? 1 : 0;
                continue;
            }
            if (!hasValue || !opt.startsWith("-")) {
                out.add(opt);
                continue;
            }
            String value = recorded.get(i + 1);
            if (disks.containsKey(i + 1)) {
                value = disks.get(i + 1).render();
            } else if (clone.isPresent()) {
                if (notForClone(opt, value, droppedChardevs)) {
                    i++;
                    continue;
                }
                value = forClone(opt, value, clone.get());
            }
            out.add(opt);
            out.add(value);
            i++;
        }
        out.addAll(List.of("-incoming", "defer", "-S"));
        return out;
    }

    /**
     * Why a restore is refused when the VM writes a disk the snapshot has no copy of (taken with
     * {@code --disk none}): the saved memory (page cache, filesystem state) would run on a disk that
     * went on changing after the snapshot, and a clone would share it with the running original.
     */
    static String uncopiedDisks(List<String> paths) {
        return "the VM writes disk " + String.join(", ", paths) + ", of which the snapshot has no copy (taken with --disk none):"
                + " its memory would run on a disk that changed since";
    }

    /** {@code qemu-system-*}, or Proxmox's {@code /usr/bin/kvm} (its QEMU, under the name Proxmox starts it by). */
    static boolean isQemu(String binary) {
        String name = Path.of(binary).getFileName().toString();
        return name.contains("qemu-system") || name.equals("kvm");
    }

    /**
     * What a clone leaves out because it would make it pass for the original with the original's
     * manager. Proxmox's: {@code -id VMID} (how Proxmox's tools tell VM VMID's process) and the
     * monitor connected to {@code qmeventd} (which would take the clone's events, and its exit, for
     * VM VMID's and clean that VM up), with that monitor's {@code -mon}.
     */
    private static boolean notForClone(String opt, String value, Set<String> droppedChardevs) {
        if (opt.equals("-id")) {
            return true;
        }
        if (opt.equals("-chardev") && value.startsWith("socket,") && value.matches(".*(^|,)path=[^,]*/qmeventd\\.sock(,.*|$)")) {
            Matcher id = Pattern.compile("(?:^|,)id=([^,]+)").matcher(value);
            if (id.find()) {
                droppedChardevs.add(id.group(1));
            }
            return true;
        }
        return opt.equals("-mon") && droppedChardevs.stream().anyMatch(id -> value.matches("(.*,)?chardev=" + Pattern.quote(id) + "(,.*)?"));
    }

    private static String forClone(String opt, String value, Clone clone) {
        return switch (opt) {
            case "-name" -> clone.name() + value.replaceFirst("^[^,]*", "");
            case "-qmp" -> value.replaceFirst("^unix:[^,]*", "unix:" + clone.qmp());
            // Proxmox's QMP: a listening socket chardev under a -mon, not -qmp. The clone must not take the original's path.
            case "-chardev" -> value.startsWith("socket,") && value.matches(".*(^|,)path=[^,]*\\.qmp(,.*|$)")
                    ? value.replaceFirst("(^|,)path=[^,]*", "$1path=" + clone.qmp()) : value;
            case "-vnc" -> value.replaceFirst("^unix:[^,]*", "unix:" + clone.serialLog().resolveSibling(clone.name() + ".vnc"));
            case "-serial" -> value.startsWith("file:") ? "file:" + clone.serialLog() : value;
            case "-pidfile" -> clone.pidFile().toString();
            case "-netdev" -> isolated(value, clone.name());
            default -> value;
        };
    }

    /**
     * The clone's NIC keeps a tap backend (the guest negotiated the tap's offloads, and a backend
     * without them makes QEMU refuse the saved device state) but on a tap of its own that QEMU
     * creates and no bridge joins: its traffic goes nowhere.
     */
    private static String isolated(String netdev, String cloneName) {
        if (!(netdev.startsWith("tap,") || netdev.startsWith("type=tap,")) || !netdev.matches(".*(^|,)ifname=[^,]+.*")) {
            throw new IllegalArgumentException("a clone's NIC must be isolated from the original's network, and netdev '"
                    + netdev + "' is not a tap named by ifname= that could be swapped for one of its own");
        }
        // No scripts: Proxmox's pve-bridge would put the clone's tap on the original's bridge.
        StringBuilder out = new StringBuilder(netdev.replaceFirst("(^|,)ifname=[^,]+", "$1ifname=" + cloneTap(cloneName))
                .replaceAll("(^|,)(script|downscript)=[^,]*", "$1$2=no"));
        for (String script : List.of("script", "downscript")) {
            if (!out.toString().matches(".*(^|,)" + script + "=no(,.*|$)")) {
                out.append(',').append(script).append("=no");
            }
        }
        return out.toString();
    }

    /** The clone's own tap: "hsc-" and its name, cut to Linux's 15 characters. */
    static String cloneTap(String cloneName) {
        String tap = "hsc-" + cloneName;
        return tap.length() <= 15 ? tap : tap.substring(0, 15);
    }
}
