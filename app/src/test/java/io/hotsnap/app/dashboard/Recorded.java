package io.hotsnap.app.dashboard;

import io.hotsnap.protocol.ClusterEvent;
import io.hotsnap.protocol.EventKind;
import io.hotsnap.protocol.SnapshotRecord;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/** The real 3-VM hold snapshot recorded on the lab (see the README next to the files). */
final class Recorded {

    private Recorded() {
    }

    static SnapshotRecord snapshot() {
        return RecordedSnapshot.read(resource("hold-3vm.events.jsonl"), resource("hold-3vm.result.json"));
    }

    static List<String> vms(SnapshotRecord record) {
        return record.events().stream().map(ClusterEvent::vm).filter(vm -> vm != null).distinct().sorted().toList();
    }

    static long count(SnapshotRecord record, EventKind kind) {
        return record.events().stream().filter(e -> e.kind() == kind).count();
    }

    private static Path resource(String name) {
        try {
            return Path.of(Recorded.class.getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource io/hotsnap/app/dashboard/" + name + " missing", e);
        }
    }
}
