package io.hotsnap.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** NTP-style offset: agent time minus the midpoint of the exchange with the smallest round trip. */
class ClockOffsetTest {

    private static final long T = 1_718_000_000_000_000L;

    @Test
    void offsetIsAgentTimeMinusTheMidpointOfSendAndReceive() {
        // Sent at T, answered 40 µs later: the agent read its clock around T + 20 and said T + 1020.
        ClockOffset offset = ClockOffset.fromSamples(List.of(new ClockOffset.Sample(T, T + 1_020, T + 40)));

        assertEquals(1_000, offset.offsetMicros());
        assertEquals(40, offset.roundTripMicros());
        assertEquals(20, offset.uncertaintyMicros());
    }

    @Test
    void agentBehindTheCoordinatorGivesANegativeOffset() {
        ClockOffset offset = ClockOffset.fromSamples(List.of(new ClockOffset.Sample(T, T - 4_950, T + 100)));

        assertEquals(-5_000, offset.offsetMicros());
    }

    @Test
    void sampleWithTheSmallestRoundTripWins() {
        ClockOffset offset = ClockOffset.fromSamples(List.of(
                new ClockOffset.Sample(T, T + 9_000, T + 6_000),          // slow: says +6000
                new ClockOffset.Sample(T + 10_000, T + 10_510, T + 10_020), // fast: says +500
                new ClockOffset.Sample(T + 20_000, T + 19_000, T + 22_000))); // slow: says -2000

        assertEquals(500, offset.offsetMicros());
        assertEquals(20, offset.roundTripMicros());
    }

    @Test
    void agentTimestampIsMappedOntoTheCoordinatorClock() {
        ClockOffset offset = new ClockOffset(1_500, 30);

        assertEquals(T, offset.toCoordinatorMicros(T + 1_500));
    }

    @Test
    void noSamplesOrAReplyBeforeItsRequestIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ClockOffset.fromSamples(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new ClockOffset.Sample(T, T, T - 1));
    }
}
