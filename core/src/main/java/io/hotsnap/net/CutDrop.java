package io.hotsnap.net;

import io.hotsnap.guard.AgentGuard;
import io.hotsnap.guard.Undo;
import io.hotsnap.host.HostCommand;
import io.hotsnap.host.HostCommandException;
import io.hotsnap.settings.Waits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How live-migration-based snapshots (VNsnap) keep a cluster cut consistent, for the baselines:
 * a frame from a VM past its snapshot point to a VM not yet at its own is dropped. Done in the
 * host's bridge with nftables (one table per snapshot, two MAC sets: {@code passed} senders and
 * {@code waiting} receivers), so it works for any VM on a Linux bridge, and TCP backs off
 * exactly as the paper describes. Frames between VMs on different hosts are not covered.
 */
public final class CutDrop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CutDrop.class);
    /** Tables are {@code hotsnap_<agent pid>_<snapshot id>}: the pid tells a dead agent's table from a live one's. */
    private static final String TABLE_PREFIX = "hotsnap_";
    private static final java.util.regex.Pattern OURS = java.util.regex.Pattern.compile("table bridge (" + TABLE_PREFIX + "(\\d+)_\\S+)");

    private final String table;
    /** Removes the table should this agent die before {@link #close}. */
    private final AgentGuard.Armed outliving;
    private boolean removed;

    private CutDrop(String table, AgentGuard.Armed outliving) {
        this.table = table;
        this.outliving = outliving;
    }

    /** Installs the table with every VM waiting and none passed (drops nothing yet). */
    public static CutDrop install(String snapshotId, Collection<String> macs) {
        if (!HostCommand.onPath("nft")) {
            throw new HostCommandException("the precopy and stopcopy cluster baselines drop packets with nftables: apt-get install nftables");
        }
        removeStale();
        String table = TABLE_PREFIX + ProcessHandle.current().pid() + "_" + snapshotId.replaceAll("[^A-Za-z0-9]", "_");
        String elements = macs.isEmpty() ? "" : "    elements = { " + String.join(", ", lower(macs)) + " }\n";
        String ruleset = "table bridge " + table + " {\n"
                + "  set passed { type ether_addr; }\n"
                + "  set waiting { type ether_addr;\n" + elements + "  }\n"
                + "  chain forward { type filter hook forward priority 0; policy accept;\n"
                + "    ether saddr @passed ether daddr @waiting counter drop\n"
                + "  }\n}\n";
        AgentGuard.Armed outliving = AgentGuard.get().arm("nft/" + table, Undo.nftTable(table));
        try {
            Path file = Files.createTempFile("hotsnap-drop", ".nft");
            try {
                Files.writeString(file, ruleset);
                HostCommand.check(List.of("nft", "-f", file.toString()), Waits.NFT_COMMAND);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            outliving.close();
            throw new HostCommandException("cannot write the nftables rules: " + e.getMessage());
        } catch (RuntimeException e) {
            outliving.close();
            throw e;
        }
        return new CutDrop(table, outliving);
    }

    /**
     * Removes the tables of agents that died mid-snapshot: left in place, they would drop those VMs'
     * frames for good.
     */
    private static void removeStale() {
        HostCommand.Result tables = HostCommand.run(List.of("nft", "list", "tables", "bridge"), Waits.NFT_COMMAND);
        java.util.regex.Matcher m = OURS.matcher(tables.stdout());
        while (m.find()) {
            long pid = Long.parseLong(m.group(2));
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                continue;
            }
            HostCommand.Result r = HostCommand.run(List.of("nft", "delete table bridge " + m.group(1)), Waits.NFT_COMMAND);
            LOG.warn("Removed the packet-drop table {} of an agent that died (pid {}){}", m.group(1), pid,
                    r.ok() ? "" : ": " + HostCommand.lastLine(r.stderr()));
        }
    }

    /** The VM with this MAC reached its snapshot point: its frames to VMs still waiting are dropped from now on. */
    public synchronized void passed(String mac) {
        if (removed) {
            return;
        }
        String m = mac.toLowerCase(Locale.ROOT);
        HostCommand.check(List.of("nft", "add element bridge " + table + " passed { " + m + " } ; delete element bridge " + table
                + " waiting { " + m + " }"), Waits.NFT_COMMAND);
    }

    /** Number of frames dropped so far. */
    public synchronized long dropped() {
        if (removed) {
            return 0;
        }
        String out = HostCommand.check(List.of("nft", "list chain bridge " + table + " forward"), Waits.NFT_COMMAND).stdout();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("counter packets (\\d+)").matcher(out);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** Removes the table; never throws. */
    @Override
    public synchronized void close() {
        if (removed) {
            return;
        }
        removed = true;
        HostCommand.Result r = HostCommand.run(List.of("nft", "delete table bridge " + table), Waits.NFT_COMMAND);
        if (!r.ok()) {
            LOG.warn("cannot remove nftables table bridge {}: {}", table, HostCommand.lastLine(r.stderr()));
        }
        outliving.close();
    }

    private static List<String> lower(Collection<String> macs) {
        return macs.stream().map(m -> m.toLowerCase(Locale.ROOT)).distinct().toList();
    }
}
