package io.hotsnap.guard;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotsnap.qmp.BlockJobInfo;
import io.hotsnap.qmp.QmpClient;
import io.hotsnap.qmp.QmpCommands;
import io.hotsnap.settings.Waits;
import io.hotsnap.util.Poll;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names of the block nodes and jobs a disk copy adds to a VM's QEMU, {@code hotsnap-<agent pid>-<device>}
 * and {@code hotsnap-backup-<agent pid>-<device>}: the pid tells a dead agent's leftovers from a
 * live one's (as the packet-drop tables do). An agent killed during a copy cannot remove its node;
 * left there it keeps the deleted copy's file open and makes the next copy of that disk fail on a
 * duplicate node name. They are removed by the agent's guard once the agent has died, or else at
 * the next snapshot's prepare.
 */
public final class DiskCopyNodes {

    private static final Logger LOG = LoggerFactory.getLogger(DiskCopyNodes.class);
    private static final Pattern OURS = Pattern.compile("hotsnap-(?:backup-)?(\\d+)-.*");

    private DiskCopyNodes() {
    }

    public static String node(String device) {
        return "hotsnap-" + ProcessHandle.current().pid() + "-" + device;
    }

    public static String job(String device) {
        return "hotsnap-backup-" + ProcessHandle.current().pid() + "-" + device;
    }

    /** {@code name} as QEMU accepts an id (letters, digits, '-', '.', '_'): node names QEMU made itself start with '#'. */
    public static String jobId(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** Cancels the jobs and removes the nodes that agents no longer alive left in this QEMU. */
    public static void removeStale(QmpClient qmp, Duration timeout) {
        for (BlockJobInfo job : qmp.call(QmpCommands.queryBlockJobs(), timeout)) {
            String id = job.device();
            if (deadAgents(id)) {
                LOG.warn("Cancelling disk copy job {} of an agent that died", id);
                qmp.call(QmpCommands.blockJobCancel(id, true), timeout);
                awaitGone(qmp, id, timeout);
            }
        }
        for (JsonNode node : qmp.call("query-named-block-nodes", Map.of("flat", true), timeout)) {
            String name = node.path("node-name").asText();
            if (deadAgents(name)) {
                LOG.warn("Removing block node {} of an agent that died", name);
                qmp.call(QmpCommands.blockdevDel(name), timeout);
            }
        }
    }

    private static boolean deadAgents(String name) {
        Matcher m = OURS.matcher(name);
        return m.matches() && !ProcessHandle.of(Long.parseLong(m.group(1))).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void awaitGone(QmpClient qmp, String job, Duration timeout) {
        boolean gone = Poll.every(Waits.BLOCK_JOBS_POLL, timeout)
                .until(() -> qmp.call(QmpCommands.queryBlockJobs(), timeout).stream().noneMatch(j -> j.device().equals(job)));
        if (gone || Thread.currentThread().isInterrupted()) {
            return;
        }
        throw new IllegalStateException("the disk copy job " + job + " of an agent that died did not end when cancelled");
    }
}
