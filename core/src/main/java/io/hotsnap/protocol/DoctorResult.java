package io.hotsnap.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * A host check: every line, in a fixed order, for one host.
 *
 * @param host the host as the administrator named it ({@code local}, an alias, {@code user@host:port}),
 *             or the agent's own host name in its answer
 */
public record DoctorResult(String host, List<HostCheck> checks) {

    public DoctorResult {
        checks = List.copyOf(checks);
    }

    /** Whether any line fails: some mode cannot run on this host. */
    public boolean fails() {
        return checks.stream().anyMatch(c -> c.status() == HostCheck.Status.FAIL);
    }

    /** The same lines under another host name, {@code more} appended. */
    public DoctorResult as(String hostName, List<HostCheck> more) {
        List<HostCheck> all = new ArrayList<>(checks);
        all.addAll(more);
        return new DoctorResult(hostName, all);
    }
}
