package io.hotsnap.vm;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotsnap.qmp.QmpClient;
import io.hotsnap.qmp.QmpException;
import io.hotsnap.settings.Timeouts;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The VMs of this host found through QMP sockets in one directory (DESIGN §3: the lab, a
 * hand-started QEMU with {@code -qmp unix:/run/hotsnap/NAME.qmp,server=on,wait=off}).
 */
public final class VmInventory {

    /** Sockets asked at once. */
    private static final int PARALLEL = 16;

    private final Path socketDir;
    private final Timeouts timeouts;

    public VmInventory(Path socketDir, Timeouts timeouts) {
        this.socketDir = socketDir;
        this.timeouts = timeouts;
    }

    /**
     * Every VM, asked in parallel: a socket held by another client (a snapshot in progress) costs
     * its connect timeout once, not once per VM listed after it.
     */
    public List<VmInfo> list() {
        List<Path> sockets = new ArrayList<>();
        if (!Files.isDirectory(socketDir)) {
            return List.of();
        }
        try (DirectoryStream<Path> found = Files.newDirectoryStream(socketDir, "*.qmp")) {
            found.forEach(sockets::add);
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + socketDir + ": " + e.getMessage(), e);
        }
        if (sockets.isEmpty()) {
            return List.of();
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(Math.min(sockets.size(), PARALLEL));
        try {
            List<java.util.concurrent.Future<VmInfo>> answers = new ArrayList<>();
            sockets.forEach(socket -> answers.add(pool.submit(() -> describe(socket))));
            List<VmInfo> vms = new ArrayList<>();
            for (java.util.concurrent.Future<VmInfo> answer : answers) {
                vms.add(answer.get());
            }
            vms.sort(java.util.Comparator.comparing(VmInfo::name));
            return vms;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing " + socketDir, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** One VM by its socket; a socket that does not answer gives an entry saying why. */
    public VmInfo describe(Path socket) {
        String fallbackName = socket.getFileName().toString().replaceFirst("\\.qmp$", "");
        Optional<QemuProcess> process = QemuProcess.serving(socket);
        Long pid = process.map(QemuProcess::pid).orElse(null);
        try (QmpClient qmp = new QmpClient(socket, timeouts)) {
            qmp.connect(timeouts.qmpConnect());
            String name = qmp.call("query-name", null, timeouts.qmpCommand()).path("name").asText(fallbackName);
            String state = qmp.call("query-status", null, timeouts.qmpCommand()).path("status").asText("unknown");
            long memory = qmp.call("query-memory-size-summary", null, timeouts.qmpCommand()).path("base-memory").asLong();
            List<DiskInfo> disks = writableDisks(qmp.call("query-block", null, timeouts.qmpCommand()));
            return new VmInfo(name, socket.toString(), pid, state, memory, qmp.version().toString(), disks,
                    nics(qmp, vhostNetdevs(process), timeouts.qmpCommand()), null);
        } catch (QmpException e) {
            String reason = process.isEmpty() ? "no QEMU process serves this socket (stale?): " + e.getMessage() : e.getMessage();
            return VmInfo.unreachable(fallbackName, socket.toString(), pid, reason);
        }
    }

    /** The VM's NICs as its monitor's {@code info network} lists them; {@code vhost} says which netdevs use vhost-net. */
    public static List<NicInfo> nics(QmpClient qmp, Predicate<String> vhost, java.time.Duration timeout) {
        String network = qmp.call("human-monitor-command", Map.of("command-line", "info network"), timeout).asText();
        return NetworkInfoParser.parse(network, vhost);
    }

    /** The writable disks in a {@code query-block} reply: what a snapshot must bring to its point. */
    public static List<DiskInfo> writableDisks(JsonNode block) {
        List<DiskInfo> disks = new ArrayList<>();
        for (JsonNode dev : block) {
            JsonNode inserted = dev.path("inserted");
            if (inserted.isMissingNode() || inserted.path("ro").asBoolean(false)) {
                continue;
            }
            disks.add(new DiskInfo(dev.path("device").asText(dev.path("qdev").asText()),
                    inserted.path("node-name").asText(), inserted.path("file").asText(), inserted.path("drv").asText(),
                    inserted.path("image").path("virtual-size").asLong()));
        }
        return disks;
    }

    /**
     * Which netdevs use vhost-net: those named with vhost on the command line, or every one when the
     * process holds {@code /dev/vhost-net} but its command line does not say which.
     */
    private static Predicate<String> vhostNetdevs(Optional<QemuProcess> process) {
        if (process.isEmpty()) {
            return id -> false;
        }
        Set<String> named = process.get().vhostNetdevsOnCommandLine();
        if (!named.isEmpty()) {
            return named::contains;
        }
        boolean any = process.get().holdsVhostNet();
        return id -> any;
    }
}
