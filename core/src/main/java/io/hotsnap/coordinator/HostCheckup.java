package io.hotsnap.coordinator;

import io.hotsnap.protocol.DoctorResult;
import io.hotsnap.protocol.HostCheck;
import io.hotsnap.protocol.Request;
import io.hotsnap.settings.Waits;
import java.util.List;

/**
 * A host's check as the console and {@code hotsnap doctor} show it: the agent's own lines
 * ({@code doctor}), plus the clock offset, which only the coordinator's side can measure (the
 * same pings a cut uses).
 */
public final class HostCheckup {

    static final String CLOCK = "clock offset";
    static final String AGENT = "agent";
    /** Beyond this, the host's clock is plainly not kept by NTP. */
    static final long FAR_MICROS = 1_000_000;
    /** Beyond this, the cut's skew between hosts is known only roughly. */
    static final long LOOSE_MICROS = 5_000;

    private HostCheckup() {
    }

    /** Blocking: asks the host's agent and measures its clock; the result is named {@code host}. */
    public static DoctorResult run(String host, AgentLink link, String store) {
        DoctorResult agent = link.call(new Request.Doctor(store), DoctorResult.class, Waits.AGENT_DOCTOR);
        return agent.as(host, List.of(clock(ClockOffset.measure(link, AgentSession.PINGS, Waits.AGENT_QUICK))));
    }

    /** A host whose agent could not be started: one failing line, with the transport's reason (which names the fix). */
    public static DoctorResult unreachable(String host, String why) {
        return new DoctorResult(host, List.of(HostCheck.fail(AGENT, HostCheck.CLUSTER_MODES, why,
                "make the host reachable by SSH with root (or passwordless sudo for java) and Java 17+, as the reason says")));
    }

    /** A host whose agent started but did not answer the check. */
    public static DoctorResult unanswered(String host, String why) {
        return new DoctorResult(host, List.of(HostCheck.fail(AGENT, HostCheck.CLUSTER_MODES, "the agent did not answer the check: " + why,
                "check again; if it persists, the agent's log (its stderr) says why")));
    }

    /**
     * Offsets themselves are harmless (every event is mapped onto the coordinator's clock); a far one
     * says the host keeps no time, and a loose one (a slow link) blurs the skew between hosts.
     */
    static HostCheck clock(ClockOffset offset) {
        String figures = String.format("%+.3f ms (± %.3f ms)", offset.offsetMicros() / 1000.0, offset.uncertaintyMicros() / 1000.0);
        if (Math.abs(offset.offsetMicros()) > FAR_MICROS) {
            return HostCheck.warn(CLOCK, HostCheck.CLUSTER_MODES, figures + ": the host's wall clock is far off; its stamps are"
                    + " mapped by the measured offset, but its logs and file times disagree with this console's",
                    "keep its clock with NTP (chrony or systemd-timesyncd)");
        }
        if (offset.uncertaintyMicros() > LOOSE_MICROS) {
            return HostCheck.warn(CLOCK, HostCheck.CLUSTER_MODES, figures + ": the link's round trip makes the cut's skew between"
                    + " this host and others exact only to that bound", "a faster link to the host (its round trip sets the bound)");
        }
        return HostCheck.ok(CLOCK, HostCheck.CLUSTER_MODES, figures);
    }
}
