package io.hotsnap.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SerialLogTest {

    @Test
    void lastCompleteTickWinsOverAHalfWrittenLine() {
        assertEquals(41, SerialLog.lastTickIn("boot noise\ntick 40\ntick 41\ntick 4").getAsLong());
    }

    @Test
    void kernelMessagesBetweenTicksAreIgnored() {
        assertEquals(7, SerialLog.lastTickIn("tick 6\n[ 3.1] virtio_net eth0: up\ntick 7\nhotsnap-guest ready\n").getAsLong());
    }

    @Test
    void noTickYetIsEmpty() {
        assertTrue(SerialLog.lastTickIn("Linux version 6.1\n").isEmpty());
    }

    @Test
    void readsOnlyTheTailOfALongLog(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("vm.serial.log");
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 20_000; i++) {
            sb.append("tick ").append(i).append('\n');
        }
        Files.writeString(log, sb);
        assertEquals(20_000, SerialLog.lastTick(log).getAsLong());
    }

    @Test
    void missingLogIsEmpty(@TempDir Path dir) {
        assertTrue(SerialLog.lastTick(dir.resolve("absent.log")).isEmpty());
    }
}
