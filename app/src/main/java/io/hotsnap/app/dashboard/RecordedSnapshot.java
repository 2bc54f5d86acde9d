package io.hotsnap.app.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotsnap.protocol.ClusterEvent;
import io.hotsnap.protocol.ClusterResult;
import io.hotsnap.protocol.SnapshotRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a recorded cluster snapshot: its events as JSON lines (one {@link ClusterEvent} each, in
 * the order the coordinator published them) and its final {@link ClusterResult} as JSON.
 */
final class RecordedSnapshot {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordedSnapshot() {
    }

    static SnapshotRecord read(Path eventLines, Path resultJson) {
        try {
            List<ClusterEvent> events = Files.readAllLines(eventLines).stream().filter(line -> !line.isBlank())
                    .map(RecordedSnapshot::event).toList();
            return new SnapshotRecord(JSON.readValue(resultJson.toFile(), ClusterResult.class), events);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the recorded snapshot " + eventLines + ": " + e.getMessage(), e);
        }
    }

    private static ClusterEvent event(String line) {
        try {
            return JSON.readValue(line, ClusterEvent.class);
        } catch (IOException e) {
            throw new UncheckedIOException("not a cluster event: " + line, e);
        }
    }
}
