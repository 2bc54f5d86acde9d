package io.hotsnap.ssh;

import java.util.Optional;

/**
 * What the SSH transport may ask the person at the keyboard: the CLI asks on its terminal, the
 * console in a dialog. Nothing asked is ever stored; an empty answer means nobody can be asked (a
 * script, no terminal), and the connection is then refused with the reason.
 */
public interface SshPrompts {

    /** Trust {@code key}? Empty when nobody can be asked. */
    Optional<Boolean> trustNewHostKey(NewHostKey key);

    /**
     * The passphrase of the encrypted key {@code keyName}; empty when nobody can be asked or the user
     * declined. The caller wipes the array after use.
     */
    Optional<char[]> passphrase(String keyName);

    /** Asks nobody: unknown host keys are refused, encrypted keys need ssh-agent. */
    static SshPrompts none() {
        return new SshPrompts() {
            @Override
            public Optional<Boolean> trustNewHostKey(NewHostKey key) {
                return Optional.empty();
            }

            @Override
            public Optional<char[]> passphrase(String keyName) {
                return Optional.empty();
            }
        };
    }
}
