package io.hotsnap.coordinator;

import io.hotsnap.host.HostClock;
import io.hotsnap.protocol.PingResult;
import io.hotsnap.protocol.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How far an agent's wall clock is ahead of the coordinator's, NTP-style: for a ping sent at
 * coordinator time t0 and answered at t1 with agent time a, the agent read its clock somewhere in
 * [t0, t1], so offset = a − (t0 + t1) / 2, wrong by at most (t1 − t0) / 2. The sample with the
 * smallest round trip has the tightest bound, so that is the one taken (DESIGN §4).
 *
 * @param offsetMicros    agent clock − coordinator clock, µs
 * @param roundTripMicros the round trip of the sample used; the offset is exact to ± half of it
 */
public record ClockOffset(long offsetMicros, long roundTripMicros) {

    /** One ping exchange: sent and received on the coordinator's clock, answered on the agent's. */
    public record Sample(long sentMicros, long agentMicros, long receivedMicros) {
        public Sample {
            if (receivedMicros < sentMicros) {
                throw new IllegalArgumentException("received (" + receivedMicros + ") before sent (" + sentMicros + ")");
            }
        }

        long roundTripMicros() {
            return receivedMicros - sentMicros;
        }

        long offsetMicros() {
            // t0 + rtt/2 rather than (t0 + t1)/2: same midpoint, and no sum of two epoch values.
            return agentMicros - (sentMicros + roundTripMicros() / 2);
        }
    }

    /** The offset from the sample with the smallest round trip. */
    public static ClockOffset fromSamples(List<Sample> samples) {
        Sample best = samples.stream().min(Comparator.comparingLong(Sample::roundTripMicros))
                .orElseThrow(() -> new IllegalArgumentException("no ping samples"));
        return new ClockOffset(best.offsetMicros(), best.roundTripMicros());
    }

    /** Pings {@code link} {@code count} times, one after the other, and takes the best sample. */
    public static ClockOffset measure(AgentLink link, int count, Duration timeout) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, got " + count);
        }
        List<Sample> samples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long sent = HostClock.wallMicros();
            PingResult pong = link.call(new Request.Ping(), PingResult.class, timeout);
            samples.add(new Sample(sent, pong.agentTimeMicros(), HostClock.wallMicros()));
        }
        return fromSamples(samples);
    }

    /** An agent timestamp on the coordinator's clock. */
    public long toCoordinatorMicros(long agentMicros) {
        return agentMicros - offsetMicros;
    }

    /** A coordinator timestamp on the agent's clock. */
    public long toAgentMicros(long coordinatorMicros) {
        return coordinatorMicros + offsetMicros;
    }

    /** The most the offset can be wrong by, µs. */
    public long uncertaintyMicros() {
        return (roundTripMicros + 1) / 2;
    }
}
