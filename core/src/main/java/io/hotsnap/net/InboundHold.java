package io.hotsnap.net;

import io.hotsnap.qmp.QmpClient;
import io.hotsnap.qmp.QmpCommand;
import io.hotsnap.qmp.QmpCommands;
import io.hotsnap.qmp.QmpExecuteException;
import java.time.Duration;

/**
 * Holds the traffic into one VM NIC (DESIGN §4): a QEMU {@code filter-buffer} on the netdev's
 * receive queue, installed switched off, switched on for the hold and off again to release the
 * queue at once. Packets are queued, never dropped, so TCP sees a delay, not a loss.
 *
 * <p>The filter's own interval is the hold's deadline: once switched on, QEMU itself flushes the
 * queue every interval, so even a lost agent can only delay the VM's traffic, never cut it off.
 */
public final class InboundHold implements AutoCloseable {

    /** QEMU takes the interval in µs as a uint32. */
    private static final long MAX_INTERVAL_MICROS = 4_000_000_000L;

    private final QmpClient qmp;
    private final String netdev;
    private final String id;
    private final Duration timeout;
    private boolean installed;

    public InboundHold(QmpClient qmp, String netdev, Duration timeout) {
        this.qmp = qmp;
        this.netdev = netdev;
        this.id = "hotsnap-hold-" + netdev;
        this.timeout = timeout;
    }

    /**
     * Adds the filter, switched off. Refused by QEMU for vhost-net and multiqueue NICs, whose
     * packets never pass through QEMU's net layer: the message says so and names the fallback.
     */
    public void install(Duration deadline) {
        long interval = Math.min(Math.max(deadline.toNanos() / 1000, 1), MAX_INTERVAL_MICROS);
        removeStale();
        try {
            qmp.call(QmpCommands.addRxFilterBuffer(id, netdev, interval, "off"), timeout);
            installed = true;
        } catch (QmpExecuteException e) {
            throw new HoldException("cannot hold traffic into netdev " + netdev + ": " + e.description()
                    + " (vhost-net and multiqueue NICs bypass QEMU's net filters; use barrier mode, or a NIC without vhost)");
        }
    }

    /** Switches the hold on: from now on, packets into the VM wait in QEMU. */
    public void on() {
        setStatus("on");
    }

    /** Releases the hold: the queued packets are delivered at once. */
    public void off() {
        setStatus("off");
    }

    /**
     * Sends the release without waiting, so that it can queue behind other commands on the same
     * monitor (QEMU runs a monitor's commands in order); the future completes with QEMU's reply.
     */
    public java.util.concurrent.CompletableFuture<?> offAsync() {
        return qmp.execute(status("off"), timeout);
    }

    /** Releases and removes the filter; safe to call at any point, also twice. */
    @Override
    public void close() {
        if (!installed) {
            return;
        }
        try {
            off();
        } finally {
            qmp.call(QmpCommands.objectDel(id), timeout);
            installed = false;
        }
    }

    /**
     * A filter of ours already on the NIC was left by an engine that died mid-hold (a live one
     * would hold the VM's QMP socket, which serves one client at a time): QEMU still flushes it
     * every interval, but it delays the VM's traffic until removed. So it goes now.
     */
    private void removeStale() {
        try {
            qmp.call(QmpCommands.objectDel(id), timeout);
            org.slf4j.LoggerFactory.getLogger(InboundHold.class).warn("Removed a stale hold {} left on netdev {}", id, netdev);
        } catch (QmpExecuteException e) {
            // none there: the normal case
        }
    }

    public String filterId() {
        return id;
    }

    private void setStatus(String status) {
        qmp.call(status(status), timeout);
    }

    private QmpCommand<Void> status(String status) {
        return QmpCommands.qomSet("/objects/" + id, "status", status);
    }
}
