package io.hotsnap.agent;

import io.hotsnap.host.HostClock;
import io.hotsnap.net.HoldException;
import io.hotsnap.net.InboundHold;
import io.hotsnap.protocol.Coverage;
import io.hotsnap.settings.Waits;
import io.hotsnap.snapshot.VmSnapshotJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One VM's share of a cluster snapshot on its agent: the snapshot job, how the cut covers the VM,
 * and the inbound holds of its NICs. The holds are switched from the request thread, the VM's snapshot thread and the deadline
 * timer, so every switch is synchronized here and reports whether it changed anything (HOLD_OFF is
 * emitted once, by whoever actually released).
 */
final class VmShare {

    private static final Logger LOG = LoggerFactory.getLogger(VmShare.class);

    private final VmSnapshotJob job;
    private final List<InboundHold> holds = new ArrayList<>();
    private boolean held;
    /** How the cut covers the VM; null in modes that cover no VM. */
    private volatile Coverage coverage;
    /** A release sent behind the VM's pause, completing with when QEMU acknowledged it; null if none. */
    private CompletableFuture<Long> releasing;

    VmShare(VmSnapshotJob job) {
        this.job = job;
    }

    String vm() {
        return job.vm();
    }

    VmSnapshotJob job() {
        return job;
    }

    void cover(Coverage c) {
        coverage = c;
    }

    /** Held from the barrier step to its own snapshot point. */
    boolean heldForCut() {
        Coverage c = coverage;
        return c != null && !c.isBarrier();
    }

    /** Paused at the barrier step, before any VM's snapshot point. */
    boolean pausedForCut() {
        Coverage c = coverage;
        return c != null && c.isBarrier();
    }

    /**
     * Installs the VM's inbound holds, switched off; a hold then covers it. Each is released from
     * inside the VM's pause (see {@link VmSnapshotJob#sendWhilePaused}): the reply is only noted
     * then (it arrives on the QMP reader thread, possibly before the job has published its STOP)
     * and reported by the next {@link #holdOff}, so HOLD_OFF always follows STOP. A NIC whose filter
     * QEMU refuses (multiqueue) fails the install, or, with {@code barrierOnRefusal} (auto mode),
     * leaves the VM covered by barrier instead.
     */
    Coverage installHolds(List<String> netdevs, Duration qmpTimeout, Duration filterInterval, boolean barrierOnRefusal) {
        for (String netdev : netdevs) {
            InboundHold hold = new InboundHold(job.qmp(), netdev, qmpTimeout);
            job.guardFilter(hold.filterId());
            try {
                hold.install(filterInterval);
            } catch (HoldException e) {
                if (!barrierOnRefusal) {
                    throw e;
                }
                removeHolds();
                return Coverage.barrier("QEMU refused the hold on netdev " + netdev + ": " + e.getMessage());
            }
            synchronized (this) {
                holds.add(hold);
            }
        }
        job.sendWhilePaused(this::holdOffAsync);
        return Coverage.hold();
    }

    /** Every NIC of the VM held; true once the last {@code qom-set} was acknowledged. */
    synchronized void holdOn() {
        held = true; // set first: a failure half-way still gets released
        for (InboundHold hold : holds) {
            hold.on();
        }
    }

    /**
     * Sends every NIC's release without waiting (see {@link InboundHold#offAsync}); the next
     * {@link #holdOff} waits for QEMU's acknowledgements and reports them, or, if one failed,
     * releases the blocking way.
     */
    synchronized void holdOffAsync() {
        if (!held || releasing != null) {
            return;
        }
        List<CompletableFuture<?>> acks = holds.stream().<CompletableFuture<?>>map(InboundHold::offAsync).toList();
        releasing = CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).thenApply(ok -> HostClock.wallMicros());
    }

    /**
     * Releases every NIC (or completes a release sent while paused). Never throws.
     *
     * @return when the hold ended (host µs), or empty when nothing was held (released by someone else)
     */
    synchronized OptionalLong holdOff() {
        if (!held) {
            return OptionalLong.empty();
        }
        held = false;
        CompletableFuture<Long> sent = releasing;
        releasing = null;
        if (sent != null) {
            try {
                return OptionalLong.of(sent.get(Waits.HOLD_RELEASE.toMillis(), TimeUnit.MILLISECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("{}: the quick release failed ({}); releasing again", vm(), e.getMessage());
            }
        }
        for (InboundHold hold : holds) {
            try {
                hold.off();
            } catch (RuntimeException e) {
                // The filter's own interval still flushes it: the VM is delayed, never cut off.
                LOG.warn("{}: cannot release hold {}: {}", vm(), hold.filterId(), e.getMessage());
            }
        }
        return OptionalLong.of(HostClock.wallMicros());
    }

    /** Removes the filters from the VM (switching them off first). Never throws. */
    synchronized void removeHolds() {
        held = false;
        releasing = null;
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
