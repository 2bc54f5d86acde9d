package io.hotsnap.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.app.engine.HostList;
import io.hotsnap.lab.LabConfig;
import io.hotsnap.ssh.SshAgentConnector;
import io.hotsnap.ssh.SshSettings;
import io.hotsnap.ssh.SshTimeouts;
import io.hotsnap.ssh.Sshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.DialogPane;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/**
 * "Add host…" against a real OpenSSH sshd on 127.0.0.1: the key chosen in the dialog is the one
 * offered, the unknown host key is shown with its fingerprint and trusted by a click, and the host
 * is remembered only once it answered.
 */
class ConsoleAddHostIT extends ConsoleRobot {

    @TempDir
    static Path sshdDir;
    static Sshd sshd;
    static Path key;
    static Path stranger;

    @TempDir
    Path dir;
    HostList hosts;
    Path knownHosts;

    @BeforeAll
    static void startSshd() throws Exception {
        sshd = Sshd.start(sshdDir.resolve("sshd"));
        key = keygen(sshdDir.resolve("id_chosen"));
        stranger = keygen(sshdDir.resolve("id_stranger"));
        sshd.authorize("root", Path.of(key + ".pub"));
    }

    @AfterAll
    static void stopSshd() {
        if (sshd != null) {
            sshd.close();
        }
    }

    /** A home of the test's own: no ~/.ssh/config, no default keys, an empty known_hosts, no ssh-agent. */
    @BeforeEach
    void openConsoleWithItsOwnSshHome() throws Exception {
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve(".ssh"));
        knownHosts = Files.createFile(home.resolve(".ssh/known_hosts"));
        hosts = new HostList(dir.resolve("hosts"));
        SshSettings ssh = new SshSettings(null, home, null, "root", SshTimeouts.defaults());
        openConsole(new ConsoleSettings(new SshAgentConnector(ssh, new DialogSshPrompts(), hosts::key), hosts,
                LabConfig.defaults().withDir(dir.resolve("lab")), false));
    }

    @Test
    void hostAddedWithItsKeyAndATrustedFingerprintIsConnectedAndRemembered() throws Exception {
        String host = "root@127.0.0.1:" + sshd.port();
        addHost(host, key);

        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> lookup("Trust this key").tryQuery().isPresent());
        String question = lookup(".dialog-pane").<DialogPane>queryAll().stream().map(DialogPane::getContentText)
                .filter(t -> t != null && t.contains("fingerprint")).findFirst().orElseThrow();
        assertTrue(question.contains(sshd.fingerprint()), question);
        clickOn("Trust this key");

        ConsoleLabIT.await(120, () -> ConsoleLabIT.fx(() -> console.viewModel().inventory().session(host).isPresent()));
        assertEquals(List.of(host), hosts.hosts());
        assertEquals(Optional.of(key), hosts.key(host));
        assertTrue(Files.readString(knownHosts).contains("[127.0.0.1]:" + sshd.port()), "trusted key written to known_hosts");
    }

    @Test
    void hostThatRefusesTheChosenKeyIsReportedAndNotRemembered() throws Exception {
        Files.writeString(knownHosts, sshd.knownHostsLine() + "\n");
        String host = "root@127.0.0.1:" + sshd.port();
        addHost(host, stranger);

        ConsoleLabIT.await(60, () -> lookup(".dialog-pane").<DialogPane>queryAll().stream()
                .anyMatch(p -> p.getContentText() != null && p.getContentText().contains("refused every key")));
        // The list is put back right after the failure is reported, on the FX thread.
        ConsoleLabIT.await(10, () -> hosts.hosts().isEmpty());
        assertFalse(ConsoleLabIT.fx(() -> console.viewModel().inventory().session(host).isPresent()));
    }

    private void addHost(String host, Path keyFile) {
        clickOn("#" + MainView.ADD_HOST_ID);
        clickOn("#" + AddHostDialog.HOST_FIELD_ID).write(host);
        clickOn("#" + AddHostDialog.KEY_FIELD_ID).write(keyFile.toString());
        clickOn(AddHostDialog.CONNECT.getText());
    }

    private static Path keygen(Path file) throws Exception {
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", file.toString()).inheritIO().start();
        assertEquals(0, p.waitFor());
        return file;
    }
}
