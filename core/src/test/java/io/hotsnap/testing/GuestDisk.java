package io.hotsnap.testing;

import io.hotsnap.host.HostCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the tick a lab guest last wrote to sector 0 of its data disk (or of a copy of it). */
public final class GuestDisk {

    private static final Pattern TICK = Pattern.compile("tick\\.(\\d+)");

    private GuestDisk() {
    }

    public static long tickInSectorZero(Path qcow2) {
        return tickInSectorZero(qcow2, "qcow2");
    }

    /** The tick in sector 0 of an image of this format ({@code raw} for a block device). */
    public static long tickInSectorZero(Path image, String format) {
        // -U: the image may be open in a running QEMU; we only read.
        HostCommand.Result r = HostCommand.check(List.of("qemu-io", "-r", "-U", "-f", format, "-c", "read -v 0 32", image.toString()),
                Duration.ofSeconds(30));
        StringBuilder ascii = new StringBuilder();
        for (String line : r.stdout().split("\n")) {
            int two = line.indexOf("  ", 10);
            if (line.startsWith("000000") && two > 0) {
                ascii.append(line.substring(line.lastIndexOf("  ") + 2));
            }
        }
        Matcher m = TICK.matcher(ascii);
        if (!m.find()) {
            throw new AssertionError("no tick in sector 0 of " + image + ": " + r.stdout());
        }
        return Long.parseLong(m.group(1));
    }
}
