package io.hotsnap.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkInfoParserTest {

    // As printed by QEMU 7.2 for `-netdev tap,id=net0,… -device virtio-net-pci,netdev=net0,id=nic0`.
    private static final String TAP_NIC = "nic0: index=0,type=nic,model=virtio-net-pci,macaddr=52:54:00:00:00:01\r\n"
            + " \\ net0: index=0,type=tap,ifname=hsx0,script=no,downscript=no\r\n";

    @Test
    void nicIsPairedWithItsBackendAndHostTap() {
        List<NicInfo> nics = NetworkInfoParser.parse(TAP_NIC, id -> false);
        assertEquals(List.of(new NicInfo("nic0", "virtio-net-pci", "52:54:00:00:00:01", "net0", "tap", "hsx0", false)), nics);
    }

    @Test
    void vhostIsTakenFromWhatTheProcessShows() {
        assertEquals(true, NetworkInfoParser.parse(TAP_NIC, "net0"::equals).get(0).vhost());
    }

    @Test
    void nicWithoutBackendIsListedAsSuch() {
        List<NicInfo> nics = NetworkInfoParser.parse("e1000.0: index=0,type=nic,model=e1000,macaddr=52:54:00:12:34:56\r\n", id -> false);
        assertEquals("none", nics.get(0).backend());
    }

    @Test
    void noNicsIsEmpty() {
        assertEquals(List.of(), NetworkInfoParser.parse("", id -> false));
    }
}
