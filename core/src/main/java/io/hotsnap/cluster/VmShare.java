package io.hotsnap.cluster;

import io.hotsnap.net.InboundHold;
import io.hotsnap.snapshot.VmSnapshotJob;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One VM's share of a cluster snapshot on its agent: the snapshot job and the inbound holds of its
 * NICs. The holds are switched from the request thread, the VM's snapshot thread and the deadline
 * timer, so every switch is synchronized here and reports whether it changed anything (HOLD_OFF is
 * emitted once, by whoever actually released).
 */
final class VmShare {

    private static final Logger LOG = LoggerFactory.getLogger(VmShare.class);

    private final VmSnapshotJob job;
    private final List<InboundHold> holds = new ArrayList<>();
    private boolean held;
    private boolean releasing;

    VmShare(VmSnapshotJob job) {
        this.job = job;
    }

    String vm() {
        return job.vm();
    }

    VmSnapshotJob job() {
        return job;
    }

    synchronized void addHold(InboundHold hold) {
        holds.add(hold);
    }

    /** Every NIC of the VM held; true once the last {@code qom-set} was acknowledged. */
    synchronized void holdOn() {
        held = true; // set first: a failure half-way still gets released
        for (InboundHold hold : holds) {
            hold.on();
        }
    }

    /**
     * Sends every NIC's release without waiting (see {@link InboundHold#offAsync}); the future
     * completes once QEMU acknowledged them all. If one fails, the VM stays marked held, so the
     * next {@link #holdOff} releases it the blocking way.
     */
    synchronized CompletableFuture<Boolean> holdOffAsync() {
        if (!held || releasing) {
            return CompletableFuture.completedFuture(false);
        }
        releasing = true;
        List<CompletableFuture<?>> acks = holds.stream().<CompletableFuture<?>>map(InboundHold::offAsync).toList();
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).handle((ok, error) -> {
            synchronized (this) {
                releasing = false;
                if (error == null) {
                    held = false;
                } else {
                    LOG.warn("{}: releasing the hold failed, retrying: {}", vm(), error.getMessage());
                }
                return error == null;
            }
        });
    }

    /** Releases every NIC; false when nothing was held (already released by someone else). Never throws. */
    synchronized boolean holdOff() {
        if (!held || releasing) {
            return false; // nothing held, or a release in flight that reports itself
        }
        held = false;
        for (InboundHold hold : holds) {
            try {
                hold.off();
            } catch (RuntimeException e) {
                // The filter's own interval still flushes it: the VM is delayed, never cut off.
                LOG.warn("{}: cannot release hold {}: {}", vm(), hold.filterId(), e.getMessage());
            }
        }
        return true;
    }

    /** Removes the filters from the VM (switching them off first). Never throws. */
    synchronized void removeHolds() {
        held = false;
        for (InboundHold hold : holds) {
            try {
                hold.close();
            } catch (RuntimeException e) {
                LOG.warn("{}: cannot remove hold {}: {}", vm(), hold.filterId(), e.getMessage());
            }
        }
        holds.clear();
    }
}
