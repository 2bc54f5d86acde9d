package io.hotsnap.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotsnap.qmp.QmpClient;
import io.hotsnap.qmp.QmpException;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.vm.QemuProcess;
import io.hotsnap.vm.VmRef;
import io.hotsnap.vm.VmSources;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who on this host uses the files under a directory (a snapshot's), asked of the truth rather than
 * of bookkeeping: each running VM's QEMU for its block graph (every node's file and backing chain),
 * and the kernel for every process's open files (a VM whose QMP is busy, a VM no source lists).
 */
public final class BackingUsers {

    private static final Logger LOG = LoggerFactory.getLogger(BackingUsers.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The keys of QEMU's block-node descriptions that name files. */
    private static final Set<String> FILE_KEYS = Set.of("file", "filename", "backing_file", "backing-filename", "full-backing-filename");

    private final VmSources sources;
    private final Timeouts timeouts;

    public BackingUsers(VmSources sources, Timeouts timeouts) {
        this.sources = sources;
        this.timeouts = timeouts;
    }

    /** Everything that uses a file under {@code dir}, by name; empty when nothing does. */
    public List<SnapshotUser> of(Path dir) {
        Path root = real(dir);
        Map<String, Set<String>> users = new TreeMap<>();
        Map<Long, String> vmByPid = new TreeMap<>();
        for (VmRef ref : sources.list().vms()) {
            if (!ref.hasQemu()) {
                continue;
            }
            ref.endpoint().process().map(QemuProcess::pid).ifPresent(pid -> vmByPid.put(pid, ref.name()));
            for (String file : graphFiles(ref)) {
                if (under(file, root)) {
                    users.computeIfAbsent(ref.name(), n -> new TreeSet<>()).add(file);
                }
            }
        }
        openFilesUnder(root).forEach((pid, files) -> users
                .computeIfAbsent(vmByPid.getOrDefault(pid, "process " + pid + " (" + comm(pid) + ")"), n -> new TreeSet<>()).addAll(files));
        return users.entrySet().stream().map(e -> new SnapshotUser(e.getKey(), List.copyOf(e.getValue()))).toList();
    }

    /** One line naming every user, for a refusal. */
    public static String describe(List<SnapshotUser> users) {
        return String.join(", ", users.stream().map(u -> u.name() + " (" + String.join(", ", u.files()) + ")").toList());
    }

    /** The files under {@code root} that {@code reply} names. */
    static List<String> namedFilesUnder(JsonNode reply, Path root) {
        return namedFiles(reply).stream().filter(f -> under(f, root)).toList();
    }

    /** The files a VM's block graph names; empty when its QMP cannot be asked (the kernel is asked too). */
    private List<String> graphFiles(VmRef ref) {
        try (QmpClient qmp = ref.endpoint().qmpClient(timeouts)) {
            qmp.connect(timeouts.qmpConnect());
            return namedFiles(qmp.call("query-named-block-nodes", null, timeouts.qmpCommand()));
        } catch (QmpException e) {
            LOG.debug("{}: block graph not asked: {}", ref.name(), e.getMessage());
            return List.of();
        }
    }

    /**
     * Every file a {@code query-named-block-nodes} (or {@code query-block}) reply names, backing
     * chains included; a {@code json:{…}} filename is looked into.
     */
    static List<String> namedFiles(JsonNode reply) {
        Set<String> files = new TreeSet<>();
        collect(reply, files);
        return List.copyOf(files);
    }

    private static void collect(JsonNode node, Set<String> files) {
        if (node.isArray()) {
            node.forEach(n -> collect(n, files));
            return;
        }
        node.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            if (v.isTextual() && FILE_KEYS.contains(e.getKey())) {
                String text = v.asText();
                if (text.startsWith("json:")) {
                    try {
                        collect(JSON.readTree(text.substring(5)), files);
                    } catch (IOException unreadable) {
                        LOG.debug("unreadable block filename {}", text);
                    }
                } else if (!text.isEmpty()) {
                    files.add(text);
                }
            } else if (v.isContainerNode()) {
                collect(v, files);
            }
        });
    }

    static boolean under(String file, Path root) {
        if (!file.startsWith("/")) {
            return false;
        }
        Path p = Path.of(file).normalize();
        return p.startsWith(root) || real(p).startsWith(root);
    }

    /** Open files under {@code root}, by process. */
    private static Map<Long, Set<String>> openFilesUnder(Path root) {
        Map<Long, Set<String>> found = new TreeMap<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path proc : procs) {
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
                    for (Path fd : fds) {
                        Optional<Path> target = link(fd);
                        if (target.isPresent() && target.get().startsWith(root)) {
                            found.computeIfAbsent(Long.parseLong(proc.getFileName().toString()), pid -> new TreeSet<>())
                                    .add(target.get().toString());
                        }
                    }
                } catch (IOException gone) {
                    // the process ended, or is not ours to inspect
                }
            }
        } catch (IOException e) {
            LOG.debug("cannot list /proc: {}", e.getMessage());
        }
        return found;
    }

    private static Optional<Path> link(Path fd) {
        try {
            return Optional.of(Files.readSymbolicLink(fd));
        } catch (IOException | UnsupportedOperationException closed) {
            return Optional.empty();
        }
    }

    private static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    static Path real(Path p) {
        try {
            return p.toAbsolutePath().toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }
}
