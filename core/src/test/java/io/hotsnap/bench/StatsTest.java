package io.hotsnap.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void medianOfAnOddCountIsTheMiddleValue() {
        assertEquals(3.0, Stats.median(List.of(5.0, 1.0, 3.0)));
        assertEquals(7.5, Stats.median(List.of(7.5)));
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
        assertEquals(2.5, Stats.median(List.of(4.0, 1.0, 3.0, 2.0)));
        assertEquals(15.0, Stats.median(List.of(10.0, 20.0)));
    }

    @Test
    void medianIgnoresTheOrderOfMeasurementAndKeepsIt() {
        Stats s = Stats.of(List.of(9.0, 1.0, 100.0, 2.0, 3.0));
        assertEquals(3.0, s.median());
        assertEquals(List.of(9.0, 1.0, 100.0, 2.0, 3.0), s.all());
    }

    @Test
    void maxIsTheLargestValue() {
        assertEquals(100.0, Stats.max(List.of(9.0, 1.0, 100.0, 2.0)));
        assertEquals(-1.0, Stats.max(List.of(-3.0, -1.0)));
        assertEquals(100.0, Stats.of(List.of(9.0, 100.0, 2.0)).max());
    }

    @Test
    void duplicatesCount() {
        assertEquals(2.0, Stats.median(List.of(2.0, 2.0, 2.0, 50.0)));
        assertEquals(26.0, Stats.median(List.of(2.0, 50.0)));
    }

    @Test
    void noValuesHaveNoMedianAndNoMax() {
        Stats s = Stats.of(List.of());
        assertTrue(s.all().isEmpty());
        assertNull(s.median());
        assertNull(s.max());
        assertThrows(IllegalArgumentException.class, () -> Stats.median(List.of()));
        assertThrows(IllegalArgumentException.class, () -> Stats.max(List.of()));
    }

    @Test
    void throughputIsBytesOverTime() {
        assertEquals(100.0, FsWriteSpeed.throughputMBps(200_000_000L, 2000.0), 1e-9);
        assertEquals(0.0, FsWriteSpeed.throughputMBps(1, 0.0));
    }
}
