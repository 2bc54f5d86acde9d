package io.hotsnap.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.hotsnap.snapshot.SnapshotMode;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * One line of a host check ({@code hotsnap doctor}): what was checked, how it stands, the snapshot
 * modes it affects, what was found and what to do about it.
 *
 * @param modes the {@code --mode} names this line matters for
 * @param fix   what to change; empty when there is nothing to do
 */
public record HostCheck(String check, Status status, List<String> modes, String detail, String fix) {

    /** The modes whose VM snapshot is QEMU's background-snapshot (copy-on-write through userfaultfd write-protect). */
    public static final List<String> BACKGROUND_MODES = Stream.concat(Arrays.stream(ClusterMode.values())
            .filter(m -> m.vmMode() == SnapshotMode.HOTSNAP).map(ClusterMode::cliName), Stream.of(SnapshotMode.HOTSNAP.cliName())).toList();
    /** The modes a coordinator runs through the hosts' agents. */
    public static final List<String> CLUSTER_MODES = Arrays.stream(ClusterMode.values()).map(ClusterMode::cliName).toList();
    public static final List<String> ALL_MODES = Stream.concat(CLUSTER_MODES.stream(), Stream.of(SnapshotMode.HOTSNAP.cliName())).toList();

    public HostCheck {
        modes = List.copyOf(modes);
        fix = fix == null ? "" : fix;
    }

    /** ok: nothing to do; warn: works, with less (fewer figures, a trade-off to know); fail: a mode cannot run. */
    public enum Status {
        OK, WARN, FAIL;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Status parse(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    /** The same line under another name (one line per VM of the same check). */
    public HostCheck withCheck(String name) {
        return new HostCheck(name, status, modes, detail, fix);
    }

    public static HostCheck ok(String check, List<String> modes, String detail) {
        return new HostCheck(check, Status.OK, modes, detail, "");
    }

    public static HostCheck warn(String check, List<String> modes, String detail, String fix) {
        return new HostCheck(check, Status.WARN, modes, detail, fix);
    }

    public static HostCheck fail(String check, List<String> modes, String detail, String fix) {
        return new HostCheck(check, Status.FAIL, modes, detail, fix);
    }
}
