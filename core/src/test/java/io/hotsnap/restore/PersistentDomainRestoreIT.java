package io.hotsnap.restore;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.host.HostCommand;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.SnapshotFile;
import io.hotsnap.snapshot.VmPart;
import io.hotsnap.vm.DomainRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A persistent libvirt domain restored in place would keep a definition naming its original disks,
 * so its next start would silently boot them: the restore's preflight refuses it, with the reason
 * and the way out (a clone). The domain is only defined, never started: libvirtd answers for it.
 */
class PersistentDomainRestoreIT {

    private static final String URI = "qemu:///system";
    private static final String DOMAIN = "hsdl-persistent";
    private static final Duration VIRSH = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void anInPlaceRestoreOfAPersistentDomainIsRefusedNamingTheClone() throws Exception {
        String xml = "<domain type='qemu'><name>" + DOMAIN + "</name><memory unit='MiB'>32</memory>"
                + "<os><type arch='x86_64'>hvm</type></os></domain>";
        Path file = dir.resolve("domain.xml");
        Files.writeString(file, xml);
        HostCommand.run(List.of("virsh", "-q", "-c", URI, "undefine", DOMAIN), VIRSH); // a crashed earlier run's
        HostCommand.check(List.of("virsh", "-q", "-c", URI, "define", file.toString()), VIRSH);
        try {
            VmPart part = new VmPart(DOMAIN, "7.2.0", List.of(), "libvirt:" + URI + "/" + DOMAIN, 32 << 20,
                    new SnapshotFile("memory.img", 0, ""), List.of(), 0, 0, 0, 0, null, new DomainRecord(URI, DOMAIN, "", xml));

            PreflightCheck inPlace = new LibvirtLaunch(Timeouts.defaults()).target(part, Optional.empty());
            PreflightCheck asClone = new LibvirtLaunch(Timeouts.defaults()).target(part, Optional.of("hsdl-clone"));

            assertFalse(inPlace.ok(), inPlace.line());
            assertTrue(inPlace.detail().contains("is persistent") && inPlace.detail().contains("--as-clone"), inPlace.line());
            assertTrue(asClone.ok(), asClone.line());
        } finally {
            HostCommand.run(List.of("virsh", "-q", "-c", URI, "undefine", DOMAIN), VIRSH);
        }
    }
}
