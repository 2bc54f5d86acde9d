package io.hotsnap.bench;

import io.hotsnap.libvirt.Virsh;
import io.hotsnap.libvirt.VirshException;
import io.hotsnap.settings.Waits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * libvirt's own external snapshot of the bench domain, as an administrator takes it today: memory
 * to a file, the disk switched to a new overlay, with or without {@code --live}; and afterwards
 * everything undone so that the next run starts from the same domain (metadata deleted, the
 * overlay committed back into the base disk and pivoted to it, the files removed).
 */
final class LibvirtExternalSnapshot {

    /** A snapshot's own files start with this, in {@link PeerDomain#DIR}. */
    private static final String PREFIX = "peer-snap-";

    private final Virsh virsh;
    private final String domain;
    private final Path base;
    private final Duration timeout;
    private int taken;

    LibvirtExternalSnapshot(Virsh virsh, String domain, Path base, Duration timeout) {
        this.virsh = virsh;
        this.domain = domain;
        this.base = base;
        this.timeout = timeout;
    }

    /** Takes one snapshot; returns when libvirt says it is complete. */
    void take(boolean live) {
        String name = PREFIX + (++taken);
        List<String> words = new ArrayList<>(List.of("snapshot-create-as", domain, name,
                "--memspec", "file=" + PeerDomain.DIR.resolve(name + ".mem") + ",snapshot=external",
                "--diskspec", "vda,snapshot=external,file=" + PeerDomain.DIR.resolve(name + ".qcow2"), "--atomic"));
        if (live) {
            words.add("--live");
        }
        virsh.run(words, Waits.LIBVIRT_SNAPSHOT);
    }

    /** Undoes every snapshot of the domain: no metadata, the disk back on its base, no files left. */
    void undo() {
        for (String snapshot : lines(virsh.run(List.of("snapshot-list", domain, "--name"), timeout))) {
            virsh.run(List.of("snapshot-delete", domain, snapshot, "--metadata"), timeout);
        }
        if (!activeDisk().equals(base.toString())) {
            virsh.run(List.of("blockcommit", domain, "vda", "--active", "--pivot", "--wait"), Waits.LIBVIRT_SNAPSHOT);
        }
        if (!activeDisk().equals(base.toString())) {
            throw new VirshException("the disk of " + domain + " is still " + activeDisk() + " after blockcommit");
        }
        try (var files = Files.list(PeerDomain.DIR)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith(PREFIX)).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new VirshException("cannot remove the snapshot files in " + PeerDomain.DIR + ": " + e.getMessage());
        }
    }

    /** How many snapshots libvirt keeps of the domain. */
    int count() {
        return lines(virsh.run(List.of("snapshot-list", domain, "--name"), timeout)).size();
    }

    /** vda's file, from {@code domblklist}: {@code vda   /var/lib/…/x.qcow2}. */
    private String activeDisk() {
        return lines(virsh.run(List.of("domblklist", domain), timeout)).stream().map(l -> l.split("\\s+", 2))
                .filter(c -> c.length == 2 && c[0].equals("vda")).map(c -> c[1].strip()).findFirst()
                .orElseThrow(() -> new VirshException("domblklist shows no vda for " + domain));
    }

    private static List<String> lines(String out) {
        return out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
