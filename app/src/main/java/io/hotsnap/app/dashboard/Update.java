package io.hotsnap.app.dashboard;

import io.hotsnap.protocol.ClusterEvent;
import io.hotsnap.protocol.ClusterResult;
import io.hotsnap.protocol.SnapshotRecord;
import java.util.List;

/** What reaches the dashboard from any thread, queued until the FX thread applies a batch. */
sealed interface Update {

    record Event(ClusterEvent event) implements Update {
    }

    /** VMs a starting snapshot will take, before any of their events. */
    record Expected(String host, List<String> vms) implements Update {
    }

    record Finished(ClusterResult result) implements Update {
    }

    record Failed(String message) implements Update {
    }

    /** A saved snapshot, shown from scratch in one application. */
    record Replay(SnapshotRecord record) implements Update {
    }
}
