package io.hotsnap.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a restore would make root run besides QEMU. The recorded command line is run as root, so it
 * must not carry options that run other programs or load code, and its binary must be one only
 * root can change (a snapshot records whatever the VM's starter chose).
 */
final class ProgramCheck {

    /** Options that load code into QEMU or read options from a file we cannot vet. */
    private static final Map<String, String> REFUSED_OPTIONS = Map.of(
            "-plugin", "loads a TCG plugin's code into QEMU",
            "-readconfig", "reads further options from a file that was not checked");
    /** Options whose key=value (or JSON) properties may name a program to run; {@code -set} can set any. */
    private static final Set<String> PROPERTY_OPTIONS = Set.of("-netdev", "-net", "-nic", "-set");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int GROUP_OR_OTHERS_WRITE = 0022;

    private ProgramCheck() {
    }

    /** The check line: pass, or every reason in one line. */
    static PreflightCheck check(String vm, List<String> cmdline, Optional<String> binary) {
        List<String> reasons = new ArrayList<>(binary.flatMap(b -> binaryRefusal(Path.of(b))).stream().toList());
        reasons.addAll(optionRefusals(cmdline));
        return reasons.isEmpty()
                ? PreflightCheck.pass(PreflightCheck.PROGRAMS, vm, binary.map(b -> b + " is root's; ").orElse("")
                        + "no option runs another program")
                : PreflightCheck.fail(PreflightCheck.PROGRAMS, vm, "refused, root would run what it should not: " + String.join("; ", reasons));
    }

    /** Each option of {@code cmdline} that runs a program or loads code, named with its value. */
    static List<String> optionRefusals(List<String> cmdline) {
        List<String> reasons = new ArrayList<>();
        for (int i = 1; i < cmdline.size(); i++) {
            // QEMU takes "--opt" as "-opt".
            String opt = cmdline.get(i).startsWith("--") ? cmdline.get(i).substring(1) : cmdline.get(i);
            String value = i + 1 < cmdline.size() ? cmdline.get(i + 1) : "";
            if (REFUSED_OPTIONS.containsKey(opt)) {
                reasons.add(opt + " " + value + " " + REFUSED_OPTIONS.get(opt));
            } else if (PROPERTY_OPTIONS.contains(opt)) {
                properties(value).forEach((key, v) -> propertyRefusal(key, v).ifPresent(r -> reasons.add(opt + " " + value + ": " + r)));
            }
        }
        return reasons;
    }

    /** Why a netdev property runs a program; empty when it does not. Keys of {@code -set} ("netdev.n0.script") by their last part. */
    private static Optional<String> propertyRefusal(String key, String value) {
        String name = key.substring(key.lastIndexOf('.') + 1);
        return switch (name) {
            case "script", "downscript" -> value.equals("no") ? Optional.empty() : Optional.of(name + "=" + value + " runs a script (only 'no' is accepted)");
            case "helper" -> Optional.of("helper=" + value + " runs a helper program");
            case "smb" -> Optional.of("smb=" + value + " runs smbd");
            case "guestfwd" -> value.contains("cmd:") ? Optional.of("guestfwd=" + value + " runs a command") : Optional.empty();
            default -> Optional.empty();
        };
    }

    /** An option value's properties: JSON ({"type":"tap",…}) or key=value,… with ",," for a literal comma. */
    static Map<String, String> properties(String value) {
        Map<String, String> props = new LinkedHashMap<>();
        if (value.startsWith("{")) {
            try {
                for (Iterator<Map.Entry<String, JsonNode>> it = JSON.readTree(value).fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    props.put(field.getKey(), field.getValue().isValueNode() ? field.getValue().asText() : field.getValue().toString());
                }
            } catch (IOException e) {
                props.put("unreadable JSON", value); // QEMU would not start on it either
            }
            return props;
        }
        for (String part : value.replace(",,", "\0").split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                props.put(part.substring(0, eq), part.substring(eq + 1).replace('\0', ','));
            }
        }
        return props;
    }

    /**
     * Why {@code binary} is not one only root can change: it, a directory above it, or a symbolic
     * link on the way is owned by another user or writable by group or others.
     */
    static Optional<String> binaryRefusal(Path binary) {
        try {
            Path given = binary.toAbsolutePath().normalize();
            Path real = given.toRealPath();
            if (!Files.isRegularFile(real)) {
                return Optional.of("the QEMU binary " + real + " is not a regular file");
            }
            for (Path chain : List.of(given, real)) {
                for (Path p = chain; p != null; p = p.getParent()) {
                    Map<String, Object> attrs = Files.readAttributes(p, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
                    int uid = (Integer) attrs.get("uid");
                    if (uid != 0) {
                        return Optional.of(where(p, binary) + " is owned by uid " + uid + ", not root");
                    }
                    if (!Files.isSymbolicLink(p) && ((Integer) attrs.get("mode") & GROUP_OR_OTHERS_WRITE) != 0) {
                        return Optional.of(where(p, binary) + " is writable by " + writers((Integer) attrs.get("mode")));
                    }
                }
            }
            return Optional.empty();
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.of("cannot inspect the QEMU binary " + binary + ": " + e.getMessage());
        }
    }

    private static String where(Path p, Path binary) {
        return p.equals(binary.toAbsolutePath().normalize()) ? "the QEMU binary " + p : p + " (on the way to the QEMU binary " + binary + ")";
    }

    private static String writers(int mode) {
        return (mode & 0020) != 0 && (mode & 0002) != 0 ? "group and others" : (mode & 0020) != 0 ? "its group" : "others";
    }
}
