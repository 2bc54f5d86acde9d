package io.hotsnap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotsnap.host.HostCommand;
import io.hotsnap.lab.Lab;
import io.hotsnap.settings.Waits;
import io.hotsnap.testing.CliRun;
import io.hotsnap.testing.TestLab;
import io.hotsnap.testing.UnprivilegedUserfaultfd;
import io.hotsnap.vm.QemuBinary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hotsnap doctor} for real on this host through its local agent, with the shared test lab
 * running: every line is there and says what this host has (QEMU's and the kernel's own versions,
 * the lab's memory in the store's need, the sysctl as it is set now).
 */
@ExtendWith(TestLab.class)
class DoctorCommandIT {

    @RegisterExtension
    static final UnprivilegedUserfaultfd UFFD = new UnprivilegedUserfaultfd();

    @TempDir
    Path store;

    @Test
    void everyLineSaysWhatThisHostHasAndTheExitCodeFollowsTheFailingOnes(Lab lab) throws Exception {
        long t0 = System.nanoTime();
        CliRun text = CliRun.of("doctor", "--store", store.toString());
        System.err.printf("[hotsnap doctor on this host, lab of %d VMs up: %d ms]%n%s%s", lab.status().size(),
                (System.nanoTime() - t0) / 1_000_000, text.out(), text.err());

        CliRun run = CliRun.of("doctor", "--hosts", "local", "--store", store.toString(), "--json");
        JsonNode host = run.json().path("hosts").path(0);
        assertEquals("local", host.path("host").asText(), run.out());
        Map<String, JsonNode> lines = new LinkedHashMap<>();
        host.path("checks").forEach(c -> lines.put(c.path("check").asText(), c));
        assertEquals(List.of("Java", "QEMU", "kernel", "vm.unprivileged_userfaultfd", "tcpdump", "nftables", "store space", "vhost NICs",
                "libvirt", "Proxmox", "clock offset"), new ArrayList<>(lines.keySet()), run.out());
        boolean failing = false;
        for (JsonNode line : lines.values()) {
            assertTrue(line.path("status").asText().matches("ok|warn|fail"), line.toString());
            assertTrue(line.path("modes").size() > 0, "each line names the modes it affects: " + line);
            assertTrue(line.path("status").asText().equals("ok") || !line.path("fix").asText().isEmpty(), "a line not ok has a fix: " + line);
            failing |= line.path("status").asText().equals("fail");
        }
        assertEquals(failing ? ExitCode.MISSING.code() : ExitCode.OK.code(), run.code(), run.err());

        assertEquals("ok", lines.get("Java").path("status").asText());
        String qemu = QemuBinary.version("qemu-system-x86_64", Waits.QEMU_VERSION);
        assertTrue(lines.get("QEMU").path("detail").asText().contains(qemu), lines.get("QEMU").toString());
        String release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        assertTrue(lines.get("kernel").path("detail").asText().contains(release), lines.get("kernel").toString());
        assertEquals(HostCommand.onPath("tcpdump") ? "ok" : "warn", lines.get("tcpdump").path("status").asText());
        assertEquals(HostCommand.onPath("nft") ? "ok" : "fail", lines.get("nftables").path("status").asText());
        assertEquals("ok", lines.get("vhost NICs").path("status").asText(), "the lab's NICs have no vhost: " + lines.get("vhost NICs"));

        String space = lines.get("store space").path("detail").asText();
        assertTrue(space.startsWith(store.toString()), space);
        Matcher need = Pattern.compile("(\\d+) MiB for a snapshot").matcher(space);
        assertTrue(need.find(), space);
        assertTrue(Long.parseLong(need.group(1)) >= lab.status().size() * 256L, "the lab's guests' memory counts: " + space);

        Matcher offset = Pattern.compile("([-+][0-9.]+) ms \\(± ([0-9.]+) ms\\)").matcher(lines.get("clock offset").path("detail").asText());
        assertTrue(offset.find(), lines.get("clock offset").toString());
        assertTrue(Math.abs(Double.parseDouble(offset.group(1))) <= Double.parseDouble(offset.group(2)) + 1,
                "one clock, so the offset is within its bound: " + lines.get("clock offset"));
    }

    @Test
    void theSysctlIsReadAsItIsSetNow(Lab lab) throws Exception {
        UFFD.set(false);
        assertTrue(uffdLine().path("detail").asText().startsWith("is 0"), uffdLine().toString());
        UFFD.set(true);
        JsonNode on = uffdLine();
        assertEquals("ok", on.path("status").asText());
        assertTrue(on.path("detail").asText().startsWith("1:") && on.path("detail").asText().contains("trade-off"), on.toString());
    }

    private JsonNode uffdLine() throws Exception {
        for (JsonNode line : CliRun.of("doctor", "--store", store.toString(), "--json").json().path("hosts").path(0).path("checks")) {
            if (line.path("check").asText().equals("vm.unprivileged_userfaultfd")) {
                return line;
            }
        }
        throw new AssertionError("no vm.unprivileged_userfaultfd line");
    }
}
