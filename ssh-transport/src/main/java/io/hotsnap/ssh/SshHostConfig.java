package io.hotsnap.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything needed to reach one host, resolved from what the administrator typed and the SSH
 * config, as {@code ssh -G} would print it.
 *
 * @param name         the host as typed (the name the coordinator reports it under)
 * @param knownHostsFiles       the user's files ({@code UserKnownHostsFile}); a newly trusted key goes to the first
 * @param globalKnownHostsFiles the administrator's files ({@code GlobalKnownHostsFile}), read but never written
 * @param hashKnownHosts        {@code HashKnownHosts yes}: a newly trusted key is written under a hashed host name
 * @param hostKeyAlias the name to look the host key up under instead of host and port, or null
 * @param proxyJump    the jump host(s) as typed in the config ({@code ProxyJump}), or null
 */
public record SshHostConfig(String name, String user, String hostName, int port, List<Path> identityFiles, boolean identitiesOnly,
                            List<Path> knownHostsFiles, List<Path> globalKnownHostsFiles, boolean hashKnownHosts,
                            HostKeyPolicy hostKeyPolicy, String hostKeyAlias,
                            Duration serverAliveInterval, int serverAliveCountMax, Duration connectTimeout, String proxyJump,
                            boolean fromConfig) {

    /** {@code user@host:port}, for messages. */
    public String display() {
        return user + "@" + (hostName.contains(":") ? "[" + hostName + "]" : hostName) + ":" + port;
    }

    /** How known_hosts names this host: the alias, plain host on port 22, {@code [host]:port} otherwise. */
    public String knownHostsName() {
        if (hostKeyAlias != null) {
            return hostKeyAlias;
        }
        return port == 22 ? hostName : "[" + hostName + "]:" + port;
    }

    /** The same host with only {@code key} offered, as {@code ssh -i KEY -o IdentitiesOnly=yes} would. */
    public SshHostConfig withIdentity(Path key) {
        return new SshHostConfig(name, user, hostName, port, List.of(key), true, knownHostsFiles, globalKnownHostsFiles,
                hashKnownHosts, hostKeyPolicy, hostKeyAlias,
                serverAliveInterval, serverAliveCountMax, connectTimeout, proxyJump, fromConfig);
    }
}
