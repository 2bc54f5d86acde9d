package io.hotsnap.ssh;

import com.jcraft.jsch.JSchException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Optional;

/** Turns what JSch throws into the one line an administrator can act on. */
final class SshFailure {

    private SshFailure() {
    }

    static String describe(SshHostConfig host, JSchException e, Optional<String> keyRefusal, Optional<String> noPassphrase,
                           KeyIdentities identities, Path configFile) {
        String prefix = "ssh " + host.name() + (host.name().equals(host.display()) ? "" : " (" + host.display() + ")") + ": ";
        if (keyRefusal.isPresent()) {
            return prefix + keyRefusal.get();
        }
        Throwable cause = e.getCause();
        String message = String.valueOf(e.getMessage());
        if (cause instanceof UnknownHostException) {
            return prefix + "unknown host '" + host.hostName() + "': no such name in DNS"
                    + (host.fromConfig() ? "" : " and no 'Host " + host.name() + "' alias in "
                    + (configFile == null ? "the SSH config (there is none)" : configFile));
        }
        if (cause instanceof ConnectException) {
            return prefix + "cannot connect to port " + host.port() + ": connection refused (no sshd listening there?)";
        }
        if (cause instanceof NoRouteToHostException) {
            return prefix + "no route to host";
        }
        if (cause instanceof SocketTimeoutException || message.startsWith("timeout")) {
            return prefix + "no answer within " + host.connectTimeout().toSeconds() + " s (ConnectTimeout)";
        }
        if (message.startsWith("Auth fail") || message.startsWith("Auth cancel") || message.contains("USERAUTH fail")) {
            if (noPassphrase.isPresent()) {
                return prefix + "key " + noPassphrase.get() + " is encrypted and there is no terminal to ask its passphrase:"
                        + " load it into ssh-agent (ssh-add) first";
            }
            return prefix + "the host refused every key offered for user '" + host.user() + "' (" + identities.describe()
                    + "); add your public key to that user's authorized_keys on the host";
        }
        if (message.contains("Connection refused")) {
            return prefix + "cannot connect to port " + host.port() + ": connection refused (no sshd listening there?)";
        }
        return prefix + message;
    }
}
