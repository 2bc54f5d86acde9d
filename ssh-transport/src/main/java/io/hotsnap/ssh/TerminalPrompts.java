package io.hotsnap.ssh;

import java.io.Console;
import java.util.Locale;
import java.util.Optional;

/**
 * The command line's {@link SshPrompts}: asks on the controlling terminal ({@link System#console()}),
 * never on stdout, which carries results. Without a terminal it asks nobody.
 */
public final class TerminalPrompts implements SshPrompts {

    private final Console console;

    private TerminalPrompts(Console console) {
        this.console = console;
    }

    /** The terminal's prompts, or {@link SshPrompts#none()} when there is no terminal (a script, a pipe). */
    public static SshPrompts ofSystemConsole() {
        Console console = System.console();
        return console == null ? SshPrompts.none() : new TerminalPrompts(console);
    }

    @Override
    public synchronized Optional<Boolean> trustNewHostKey(NewHostKey key) {
        // synchronized: hosts are opened in parallel, questions come one at a time.
        String answer = console.readLine("%s (yes/no) ", key.question());
        return Optional.of(answer != null && answer.strip().toLowerCase(Locale.ROOT).equals("yes"));
    }

    @Override
    public synchronized Optional<char[]> passphrase(String keyName) {
        char[] passphrase = console.readPassword("Enter passphrase for key '%s': ", keyName);
        return Optional.ofNullable(passphrase);
    }
}
