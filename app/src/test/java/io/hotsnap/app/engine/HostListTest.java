package io.hotsnap.app.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostListTest {

    @TempDir
    Path dir;

    @Test
    void aMissingFileIsTheFirstRunWithNoHosts() {
        assertEquals(List.of(), new HostList(dir.resolve("none/hosts")).hosts());
    }

    @Test
    void hostsAndTheirChosenKeysSurviveARestart() {
        HostList list = new HostList(dir.resolve("cfg/hosts"));
        list.add(new HostList.Host("kvm1", null));
        list.add(new HostList.Host("root@10.0.0.2:2222", Path.of("/keys/my key")));

        HostList again = new HostList(dir.resolve("cfg/hosts"));
        assertEquals(List.of("kvm1", "root@10.0.0.2:2222"), again.hosts());
        assertEquals(Optional.of(Path.of("/keys/my key")), again.key("root@10.0.0.2:2222"));
        assertEquals(Optional.empty(), again.key("kvm1"));
    }

    @Test
    void addingAHostAgainReplacesItsKeyChoiceAndRemoveForgetsIt() {
        HostList list = new HostList(dir.resolve("hosts"));
        list.add(new HostList.Host("kvm1", Path.of("/keys/old")));
        list.add(new HostList.Host("kvm1", Path.of("/keys/new")));
        assertEquals(Optional.of(Path.of("/keys/new")), list.key("kvm1"));
        assertEquals(List.of("kvm1"), list.hosts());

        list.remove("kvm1");
        assertEquals(List.of(), list.hosts());
    }

    @Test
    void commentsAndBlankLinesAreIgnored() throws Exception {
        Files.write(dir.resolve("hosts"), List.of("# my hosts", "", "  kvm1  "));
        assertEquals(List.of("kvm1"), new HostList(dir.resolve("hosts")).hosts());
    }
}
