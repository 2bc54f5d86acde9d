package io.hotsnap.ssh;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.SftpException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the agent jar on a host: by SFTP to {@code ~/.cache/hotsnap/agent-<sha256>.jar} unless that
 * file is already there with that checksum, written under a temporary name and renamed, so a broken
 * copy never carries the final name. Hosts without the sftp subsystem (some hardened ones) get it
 * through {@code cat} on an exec channel, the way OpenSSH's {@code scp -O} does without SFTP. The
 * checksum that counts is the one the host computes.
 */
final class AgentDeployer {

    private static final Logger LOG = LoggerFactory.getLogger(AgentDeployer.class);

    /** @param path absolute on the host; @param uploaded false when the host already had it */
    record Deployment(String path, boolean uploaded, long millis) {
    }

    private AgentDeployer() {
    }

    static Deployment ensure(SshConnection connection, HostProbe probe, AgentJar jar, SshTimeouts timeouts) throws IOException {
        long started = System.nanoTime();
        String path = probe.home() + "/" + jar.remoteRelativePath();
        if (jar.sha256().equals(probe.cachedSha())) {
            return new Deployment(path, false, (System.nanoTime() - started) / 1_000_000);
        }
        if (!probe.cachedSha().isEmpty()) {
            LOG.warn("{}: {} is there but its checksum is {}, not {}: sending it again", connection.host().name(), path,
                    probe.cachedSha(), jar.sha256());
        }
        upload(connection, path, jar, timeouts.upload());
        String onHost = checksumOnHost(connection, path, timeouts.command());
        if (!onHost.equals(jar.sha256())) {
            throw new IOException("the agent jar copied to " + path + " has checksum " + onHost + " on the host, not " + jar.sha256()
                    + ": the copy was damaged (disk full?)");
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        LOG.info("{}: agent jar ({} KiB) copied to {} in {} ms", connection.host().name(), jar.bytes().length / 1024, path, ms);
        return new Deployment(path, true, ms);
    }

    private static void upload(SshConnection connection, String path, AgentJar jar, Duration timeout) throws IOException {
        String dir = path.substring(0, path.lastIndexOf('/'));
        String temp = path + ".part-" + UUID.randomUUID();
        ChannelSftp sftp;
        try {
            sftp = (ChannelSftp) connection.session().openChannel("sftp");
            sftp.connect((int) timeout.toMillis());
        } catch (JSchException e) {
            LOG.info("{}: no SFTP ({}): the agent jar goes through an exec channel", connection.host().name(), e.getMessage());
            uploadByExec(connection, dir, temp, path, jar, timeout);
            return;
        }
        try {
            mkdirs(sftp, dir);
            sftp.put(new ByteArrayInputStream(jar.bytes()), temp, ChannelSftp.OVERWRITE);
            try {
                sftp.rename(temp, path);
            } catch (SftpException e) {
                // Plain SFTP rename refuses to replace: the old (wrong) file goes first.
                sftp.rm(path);
                sftp.rename(temp, path);
            }
        } catch (SftpException e) {
            try {
                sftp.rm(temp);
            } catch (SftpException ignored) {
                // the temporary file may not exist
            }
            throw new IOException("cannot copy the agent jar to " + path + ": " + e.getMessage(), e);
        } finally {
            sftp.disconnect();
        }
    }

    /** The same steps as over SFTP: a 0700 cache, a temporary name, a rename. */
    private static void uploadByExec(SshConnection connection, String dir, String temp, String path, AgentJar jar, Duration timeout)
            throws IOException {
        String script = "umask 077 && mkdir -p " + ShellQuote.quote(dir) + " && cat > " + ShellQuote.quote(temp)
                + " && mv -f " + ShellQuote.quote(temp) + " " + ShellQuote.quote(path) + " || { rm -f " + ShellQuote.quote(temp) + "; exit 1; }";
        RemoteCommand.Result r = RemoteCommand.run(connection.session(), script, jar.bytes(), timeout);
        if (r.exitStatus() != 0) {
            throw new IOException("cannot copy the agent jar to " + path + " (no SFTP on the host, and cat over exec failed): "
                    + r.stderr().strip());
        }
    }

    /** {@code mkdir -p} with mode 0700: the agent cache is nobody else's business. */
    private static void mkdirs(ChannelSftp sftp, String dir) throws SftpException {
        StringBuilder current = new StringBuilder();
        for (String part : dir.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            current.append('/').append(part);
            try {
                sftp.stat(current.toString());
            } catch (SftpException missing) {
                sftp.mkdir(current.toString());
                sftp.chmod(0700, current.toString());
            }
        }
    }

    static String checksumOnHost(SshConnection connection, String path, Duration timeout) throws IOException {
        RemoteCommand.Result r = RemoteCommand.run(connection.session(), "sha256sum " + ShellQuote.quote(path), timeout);
        if (r.exitStatus() != 0) {
            throw new IOException("sha256sum of " + path + " failed on the host: " + r.stderr().strip());
        }
        return r.stdout().strip().split("\\s+")[0];
    }
}
