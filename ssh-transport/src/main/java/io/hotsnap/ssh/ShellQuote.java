package io.hotsnap.ssh;

/** One word for a POSIX shell, whatever it contains: single quotes, each inner quote as {@code '\''}. */
final class ShellQuote {

    private ShellQuote() {
    }

    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
