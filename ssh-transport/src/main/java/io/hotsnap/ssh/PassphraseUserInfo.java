package io.hotsnap.ssh;

import com.jcraft.jsch.UserInfo;
import java.util.Arrays;
import java.util.Optional;

/**
 * JSch's callback for one connection, narrowed to what we allow: a key passphrase, asked through
 * {@link SshPrompts} when the host has accepted an encrypted key's public half. Passwords are never
 * asked or sent; host keys never reach here ({@link HostKeyVerifier} decides them).
 */
final class PassphraseUserInfo implements UserInfo {

    private final SshPrompts prompts;
    private char[] pending;
    private volatile String unanswered;

    PassphraseUserInfo(SshPrompts prompts) {
        this.prompts = prompts;
    }

    /** The key whose passphrase was needed but nobody could give, if any. */
    Optional<String> unanswered() {
        return Optional.ofNullable(unanswered);
    }

    @Override
    public boolean promptPassphrase(String message) {
        String key = message.startsWith("Passphrase for ") ? message.substring("Passphrase for ".length()) : message;
        Optional<char[]> answer = prompts.passphrase(key);
        if (answer.isEmpty()) {
            unanswered = key;
            return false;
        }
        pending = answer.get();
        return true;
    }

    /** Handed to JSch once and wiped here; JSch wipes its byte copy after decrypting. */
    @Override
    public String getPassphrase() {
        if (pending == null) {
            return null;
        }
        String value = new String(pending);
        Arrays.fill(pending, '\0');
        pending = null;
        return value;
    }

    @Override
    public String getPassword() {
        return null;
    }

    @Override
    public boolean promptPassword(String message) {
        return false;
    }

    @Override
    public boolean promptYesNo(String message) {
        return false;
    }

    @Override
    public void showMessage(String message) {
    }
}
