package io.hotsnap.restore;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotsnap.qmp.QmpClient;
import io.hotsnap.qmp.QmpEventSubscription;
import io.hotsnap.qmp.QmpTimeoutException;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.SnapshotException;
import io.hotsnap.vm.QemuProcess;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Lets loaded VMs run from their snapshot's instant, as close together as QMP allows, and says when each did. */
final class RestoreResumer {

    private static final Logger LOG = LoggerFactory.getLogger(RestoreResumer.class);

    private final Timeouts timeouts;

    RestoreResumer(Timeouts timeouts) {
        this.timeouts = timeouts;
    }

    /**
     * Lets loaded VMs run: {@code cont} to each back to back first, and only then the wait for each
     * RESUME, so they start again as close together as QMP allows. Each VM's failure is its own:
     * the others resume regardless.
     */
    List<VmRestore.Resumed> resumeEach(List<VmRestore.Loaded> loaded) {
        List<SnapshotException> contFailed = new ArrayList<>();
        List<Long> contAnsweredAt = new ArrayList<>();
        for (VmRestore.Loaded l : loaded) {
            try {
                call(l.qmp(), "cont", null);
                contFailed.add(null);
            } catch (RuntimeException e) {
                contFailed.add(notResumed(l, e));
            }
            contAnsweredAt.add(ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()));
        }
        List<VmRestore.Resumed> outcomes = new ArrayList<>();
        for (int i = 0; i < loaded.size(); i++) {
            VmRestore.Loaded l = loaded.get(i);
            if (contFailed.get(i) != null) {
                outcomes.add(new VmRestore.Resumed(l, null, contFailed.get(i)));
                continue;
            }
            try (QmpClient qmp = l.qmp(); QmpEventSubscription events = l.events()) {
                long resumedAt = awaitResume(l, events, contAnsweredAt.get(i));
                long pid = l.endpoint().process().map(QemuProcess::pid).orElse(-1L);
                // Running: the VM is the administrator's now, not the load's to undo.
                l.guard().close();
                outcomes.add(new VmRestore.Resumed(l, new RestoredVm(l.plan().name(), l.plan().part().name(), pid, l.endpoint().qmpTarget(),
                        l.loadMs(), resumedAt), null));
            } catch (RuntimeException e) {
                outcomes.add(new VmRestore.Resumed(l, null, notResumed(l, e)));
            }
        }
        return outcomes;
    }

    /**
     * When the VM ran again: the stamp of the RESUME that QEMU emits while it runs the {@code cont},
     * before its reply. Without it, QEMU is asked. Running: the event was lost on its way, which
     * libvirt's pass-through can do (its event stream is a separate {@code virsh} whose registration
     * is not confirmed, and CI once saw a restored domain's RESUME never come), so the VM is taken
     * as resumed when its {@code cont} was answered. Paused: the {@code cont} took no effect, and
     * the message says so.
     */
    private long awaitResume(VmRestore.Loaded l, QmpEventSubscription events, long contAnsweredAt) {
        try {
            return events.await(e -> e.name().equals("RESUME"), timeouts.qmpCommand()).timestampMicros();
        } catch (QmpTimeoutException e) {
            String status;
            try {
                status = call(l.qmp(), "query-status", null).path("status").asText();
            } catch (RuntimeException unknown) {
                throw new QmpTimeoutException(e.getMessage() + " after cont; its state unknown: " + unknown.getMessage());
            }
            if (!status.equals("running")) {
                throw new QmpTimeoutException(e.getMessage() + " after cont; QEMU reports it " + status);
            }
            LOG.warn("{}: no RESUME seen, but QEMU reports it running: taken as resumed when its cont was answered", l.plan().name());
            return contAnsweredAt;
        }
    }

    private static SnapshotException notResumed(VmRestore.Loaded l, RuntimeException e) {
        return new SnapshotException(SnapshotException.Kind.FAILED, "restored " + l.plan().name() + " did not resume: " + e.getMessage(), e);
    }

    private JsonNode call(QmpClient qmp, String command, Object args) {
        return qmp.call(command, args, timeouts.qmpCommand());
    }
}
