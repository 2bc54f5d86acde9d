package io.hotsnap.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hotsnap.host.HostPaths;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The memory stream's socket is named after its VM: a VM name that is a path must not place it elsewhere. */
class StreamSocketsTest {

    @Test
    void aVmNameThatIsAPathStaysInTheStreamDirectory() throws Exception {
        for (String vm : List.of("../../etc/evil", "a/b", "..", "web1")) {
            Path socket = StreamSockets.newPath("20260101-000000-0001", vm);
            assertEquals(HostPaths.streamDir(), socket.getParent(), vm);
        }
    }
}
