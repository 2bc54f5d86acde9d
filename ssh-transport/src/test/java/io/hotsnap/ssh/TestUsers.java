package io.hotsnap.ssh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Login users of a test class's own, each with a login shell and a home under {@code homes}, and
 * one sudoers file for them: made before the class, removed after it (and first, should a crashed
 * earlier run have left them).
 */
final class TestUsers {

    private final Path homes;
    private final Path sudoers;
    private final Map<String, String> shells;

    /** @param shells user → login shell, in the order they are made */
    TestUsers(Path homes, Path sudoers, Map<String, String> shells) {
        this.homes = homes;
        this.sudoers = sudoers;
        this.shells = shells;
    }

    /** Makes the users, lets each log in to {@code sshd} with {@code key}, and installs {@code rules} (checked by visudo first). */
    void make(Sshd sshd, Path publicKey, String rules, Path scratch) throws Exception {
        remove();
        Files.createDirectories(homes);
        for (Map.Entry<String, String> user : shells.entrySet()) {
            // Password "*": no password can ever match (so a sudo that wants one never gets it), yet
            // the account is not locked ("!"), which sshd without PAM would refuse outright.
            Exec.check("useradd", "--create-home", "--home-dir", home(user.getKey()).toString(), "--shell", user.getValue(),
                    "--password", "*", user.getKey());
            sshd.authorize(user.getKey(), publicKey);
        }
        Path rule = scratch.resolve("sudoers");
        Files.writeString(rule, rules);
        Exec.check("visudo", "-c", "-q", "-f", rule.toString());
        Files.copy(rule, sudoers);
        Exec.check("chmod", "0440", sudoers.toString());
    }

    Path home(String user) {
        return homes.resolve(user);
    }

    void remove() throws Exception {
        Files.deleteIfExists(sudoers);
        for (String user : shells.keySet()) {
            Exec.run("userdel", "--remove", user);
        }
        Exec.run("rm", "-rf", homes.toString());
    }
}
