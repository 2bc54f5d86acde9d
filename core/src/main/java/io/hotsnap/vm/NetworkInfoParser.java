package io.hotsnap.vm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads HMP {@code info network}: QEMU 7.2 has no QMP command that lists NICs with their backends.
 * A NIC line ({@code nic0: index=0,type=nic,model=…,macaddr=…}) is followed by its peer, indented
 * with a backslash ({@code \ net0: index=0,type=tap,ifname=…}).
 */
final class NetworkInfoParser {

    private NetworkInfoParser() {
    }

    /** @param vhostNetdevs netdev ids known to use vhost (from the command line or the process) */
    static List<NicInfo> parse(String infoNetwork, java.util.function.Predicate<String> vhostNetdevs) {
        List<NicInfo> nics = new ArrayList<>();
        String nicId = null;
        Map<String, String> nic = null;
        for (String raw : infoNetwork.split("\r?\n")) {
            String line = raw.strip();
            boolean peer = line.startsWith("\\");
            if (peer) {
                line = line.substring(1).strip();
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String id = line.substring(0, colon).strip();
            Map<String, String> props = properties(line.substring(colon + 1));
            if (!peer && "nic".equals(props.get("type"))) {
                if (nic != null) {
                    nics.add(new NicInfo(nicId, nic.get("model"), nic.get("macaddr"), null, "none", null, false));
                }
                nicId = id;
                nic = props;
            } else if (peer && nic != null) {
                String backend = props.getOrDefault("type", "unknown");
                nics.add(new NicInfo(nicId, nic.get("model"), nic.get("macaddr"), id, backend, props.get("ifname"), vhostNetdevs.test(id)));
                nic = null;
            }
        }
        if (nic != null) {
            nics.add(new NicInfo(nicId, nic.get("model"), nic.get("macaddr"), null, "none", null, false));
        }
        return nics;
    }

    private static Map<String, String> properties(String csv) {
        Map<String, String> props = new HashMap<>();
        for (String kv : csv.strip().split(",")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                props.put(kv.substring(0, eq).strip(), kv.substring(eq + 1).strip());
            }
        }
        return props;
    }
}
