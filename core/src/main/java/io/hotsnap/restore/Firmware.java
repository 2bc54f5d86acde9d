package io.hotsnap.restore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A UEFI VM's flash as its recorded command line opens it: the read-only CODE (the firmware,
 * shared by the host's VMs and never copied) and the writable VARS (the VM's own NVRAM: boot
 * entries, keys), which QEMU lists as a writable block device, so a snapshot copies it with the
 * disks. Both ways of attaching flash are read: {@code -drive if=pflash,…} and libvirt's
 * {@code -machine pflash0=NODE,pflash1=NODE} naming {@code -blockdev} nodes (JSON or key=value, the
 * file under a format node or inline in it).
 *
 * <p>A restore gives the VM a fresh raw copy of the snapshot's VARS rather than an overlay: a flash
 * device takes its size from its image and the command line (or libvirt's {@code <nvram>}) opens it as raw.
 */
record Firmware(List<String> code, List<String> vars) {

    private static final Set<String> YES = Set.of("on", "true", "yes");

    static Firmware of(List<String> cmdline) {
        List<String> code = new ArrayList<>();
        List<String> vars = new ArrayList<>();
        Map<String, Map<String, String>> nodes = new HashMap<>();
        List<String> flashNodes = new ArrayList<>();
        for (int i = 1; i + 1 < cmdline.size(); i++) {
            String opt = cmdline.get(i).startsWith("--") ? cmdline.get(i).substring(1) : cmdline.get(i);
            Map<String, String> props = ProgramCheck.properties(cmdline.get(i + 1));
            switch (opt) {
                case "-drive" -> {
                    if ("pflash".equals(props.get("if")) && props.containsKey("file")) {
                        (readOnly(props) ? code : vars).add(props.get("file"));
                    }
                }
                case "-blockdev" -> nodes.put(props.getOrDefault("node-name", ""), props);
                case "-machine", "-M" -> props.forEach((key, node) -> {
                    if (key.equals("pflash0") || key.equals("pflash1")) {
                        flashNodes.add(node);
                    }
                });
                default -> {
                }
            }
        }
        for (String node : flashNodes) {
            Map<String, String> props = nodes.get(node);
            if (props != null) {
                fileOf(props, nodes, false, code, vars);
            }
        }
        return new Firmware(List.copyOf(code), List.copyOf(vars));
    }

    boolean isVars(String file) {
        return vars.contains(file);
    }

    /**
     * The check line: the CODE flash must still be on this host (it is not in the snapshot; without
     * it the VM has no firmware to run); a VM without flash passes.
     */
    PreflightCheck check(String vm) {
        if (code.isEmpty() && vars.isEmpty()) {
            return PreflightCheck.pass(PreflightCheck.FIRMWARE, vm, "no UEFI flash on the command line: nothing to check");
        }
        List<String> missing = code.stream().filter(f -> !Files.isRegularFile(Path.of(f))).toList();
        if (!missing.isEmpty()) {
            return PreflightCheck.fail(PreflightCheck.FIRMWARE, vm, "the UEFI firmware " + String.join(", ", missing)
                    + " is missing (the snapshot copies only the VM's VARS): reinstall it, e.g. the ovmf package");
        }
        return PreflightCheck.pass(PreflightCheck.FIRMWARE, vm, "UEFI code " + String.join(", ", code) + " present; VARS "
                + String.join(", ", vars) + " restored from the snapshot's copy");
    }

    /** Down the node chain (format node → protocol node, by name or inline) to the file; read-only if any node on the way is. */
    private static void fileOf(Map<String, String> props, Map<String, Map<String, String>> nodes, boolean readOnlyAbove,
                               List<String> code, List<String> vars) {
        boolean readOnly = readOnlyAbove || readOnly(props);
        String filename = props.getOrDefault("filename", props.get("file.filename"));
        if (filename != null) {
            (readOnly ? code : vars).add(filename);
            return;
        }
        String file = props.get("file");
        if (file == null) {
            return;
        }
        Map<String, String> below = file.startsWith("{") ? ProgramCheck.properties(file) : nodes.get(file);
        if (below != null) {
            fileOf(below, nodes, readOnly, code, vars);
        }
    }

    private static boolean readOnly(Map<String, String> props) {
        return YES.contains(props.getOrDefault("read-only", props.getOrDefault("readonly", "off")));
    }
}
