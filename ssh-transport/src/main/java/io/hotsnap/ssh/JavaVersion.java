package io.hotsnap.ssh;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The major version in the first line of {@code java -version} ({@code openjdk version "17.0.15"}, {@code "1.8.0_392"}). */
final class JavaVersion {

    private static final Pattern VERSION = Pattern.compile("version \"([0-9]+)(?:\\.([0-9]+))?[^\"]*\"");

    private JavaVersion() {
    }

    static OptionalInt major(String firstLine) {
        Matcher m = VERSION.matcher(firstLine == null ? "" : firstLine);
        if (!m.find()) {
            return OptionalInt.empty();
        }
        int first = Integer.parseInt(m.group(1));
        // Up to Java 8 the major version came second: 1.8.0 is Java 8.
        return OptionalInt.of(first == 1 && m.group(2) != null ? Integer.parseInt(m.group(2)) : first);
    }
}
