package io.hotsnap.libvirt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotsnap.host.HostCommand;
import io.hotsnap.qmp.QmpClient;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.vm.DomainRecord;
import io.hotsnap.vm.QemuProcess;
import io.hotsnap.vm.VmEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A running libvirt domain: QMP through libvirt (or its extra socket), its QEMU from libvirt's pid file. */
record LibvirtEndpoint(Virsh virsh, String domain, Optional<Path> extraSocket, Duration timeout) implements VmEndpoint {

    /** Where libvirtd (qemu:///system) keeps a running domain's pid. */
    private static final Path PID_DIR = Path.of("/run/libvirt/qemu");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String qmpTarget() {
        return extraSocket.map(Path::toString).orElse(LibvirtQmp.PREFIX + virsh.uri() + "/" + domain);
    }

    @Override
    public QmpClient qmpClient(Timeouts timeouts) {
        if (extraSocket.isPresent()) {
            return new QmpClient(extraSocket.get(), timeouts);
        }
        return new QmpClient(qmpTarget(), mapper -> new LibvirtQmpTransport(mapper, virsh, domain, timeouts.qmpCommand()), timeouts);
    }

    @Override
    public Optional<QemuProcess> process() {
        try {
            return QemuProcess.of(Long.parseLong(Files.readString(PID_DIR.resolve(domain + ".pid")).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * {@code --migratable}: the definition as libvirt would send it to a migration target, which is
     * what a restore feeds back to {@code virsh restore} with the device state of this QEMU.
     */
    @Override
    public Optional<DomainRecord> domainRecord() {
        try {
            return Optional.of(new DomainRecord(virsh.uri(), domain, virsh.run(List.of("domuuid", domain), timeout).strip(),
                    virsh.run(List.of("dumpxml", "--migratable", domain), timeout)));
        } catch (VirshException e) {
            throw new VirshException("libvirt cannot describe " + domain + " for the snapshot: " + e.getMessage());
        }
    }

    /** From {@code domiflist}: {@code vnet0  bridge  br0  virtio  52:54:00:aa:00:01}. */
    @Override
    public Map<String, String> tapsByMac() {
        Map<String, String> taps = new HashMap<>();
        try {
            for (String line : virsh.run(List.of("domiflist", domain), timeout).lines().toList()) {
                String[] cols = line.strip().split("\\s+");
                if (cols.length == 5 && cols[4].matches("(?i)([0-9a-f]{2}:){5}[0-9a-f]{2}") && !cols[0].equals("-")) {
                    taps.put(cols[4].toLowerCase(java.util.Locale.ROOT), cols[0]);
                }
            }
        } catch (VirshException e) {
            // no taps to name: the capture goes without this VM's NICs
        }
        return taps;
    }

    @Override
    public Optional<String> manager() {
        return Optional.of("libvirt");
    }

    /** libvirt runs one job per domain (save, dump, migration, snapshot): ours would race it. */
    @Override
    public List<String> managerObjections() {
        String info;
        try {
            info = virsh.run(List.of("domjobinfo", domain), timeout);
        } catch (VirshException e) {
            return List.of("libvirt cannot tell whether a job runs on the domain: " + e.getMessage());
        }
        Optional<String> type = field(info, "Job type");
        if (type.isEmpty() || type.get().equals("None")) {
            return List.of();
        }
        String operation = field(info, "Operation").map(o -> ", operation " + o).orElse("");
        return List.of("libvirt has a job running on the domain (job type " + type.get() + operation
                + "): wait for it to end, or 'virsh domjobabort " + domain + "'");
    }

    /**
     * QEMU runs as libvirt's unprivileged user and cannot open files in a private snapshot
     * directory: we open it and libvirt passes the descriptor ({@code --pass-fds}), which needs
     * a {@code virsh} of its own that inherits it.
     */
    @Override
    public Optional<Integer> passFile(Path file) {
        String addFd = "{\"execute\":\"add-fd\",\"arguments\":{\"opaque\":\"hotsnap\"}}";
        HostCommand.Result r = HostCommand.run(List.of("sh", "-c",
                "exec virsh -q -c \"$1\" qemu-monitor-command \"$2\" --pass-fds 3 \"$3\" 3<>\"$4\"",
                "sh", virsh.uri(), domain, addFd, file.toString()), timeout);
        if (!r.ok()) {
            throw new VirshException("cannot pass " + file + " to the domain's QEMU: " + HostCommand.lastLine(r.stderr()));
        }
        try {
            JsonNode reply = JSON.readTree(r.stdout());
            if (!reply.path("return").has("fdset-id")) {
                throw new VirshException("QEMU refused add-fd for " + file + ": " + reply.path("error").path("desc").asText(r.stdout()));
            }
            return Optional.of(reply.path("return").path("fdset-id").intValue());
        } catch (IOException e) {
            throw new VirshException("unexpected answer to add-fd: " + r.stdout());
        }
    }

    private static Optional<String> field(String info, String name) {
        return info.lines().filter(l -> l.startsWith(name + ":")).map(l -> l.substring(name.length() + 1).strip()).findFirst();
    }
}
