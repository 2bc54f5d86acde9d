package io.hotsnap.ssh;

import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.AgentProxyException;
import com.jcraft.jsch.Identity;
import com.jcraft.jsch.IdentityRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.SSHAgentConnector;
import com.jcraft.jsch.UnixDomainSocketFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Vector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys offered to one host, in OpenSSH's order: ssh-agent's first (unless IdentitiesOnly), then
 * the IdentityFile keys. Key files are read as they are; an encrypted one is decrypted by JSch only
 * when the host accepts its public key, with the passphrase asked through {@link SshPrompts}.
 * Read-only: nothing is ever added to the agent.
 */
final class KeyIdentities implements IdentityRepository {

    private static final Logger LOG = LoggerFactory.getLogger(KeyIdentities.class);

    private final IdentityRepository agent;
    private final List<Identity> files;
    private final List<String> described = new ArrayList<>();

    private KeyIdentities(IdentityRepository agent, List<Identity> files) {
        this.agent = agent;
        this.files = files;
    }

    static KeyIdentities of(SshHostConfig host, Path agentSocket) {
        IdentityRepository agent = null;
        List<String> described = new ArrayList<>();
        if (agentSocket != null && !host.identitiesOnly()) {
            try {
                agent = new AgentIdentityRepository(new SSHAgentConnector(new UnixDomainSocketFactory(), agentSocket));
                described.add("ssh-agent at " + agentSocket);
            } catch (AgentProxyException e) {
                LOG.warn("ssh-agent at {} not usable: {}", agentSocket, e.getMessage());
            }
        }
        List<Identity> files = new ArrayList<>();
        for (Path file : host.identityFiles()) {
            if (!Files.isRegularFile(file)) {
                // As OpenSSH: a configured key that is not there is skipped, not an error.
                LOG.debug("Identity file {} does not exist", file);
                continue;
            }
            JSch loader = new JSch();
            try {
                loader.addIdentity(file.toString());
                files.addAll(loader.getIdentityRepository().getIdentities());
                described.add(file.toString());
            } catch (JSchException e) {
                LOG.warn("Identity file {} cannot be read as a private key: {}", file, e.getMessage());
            }
        }
        KeyIdentities identities = new KeyIdentities(agent, List.copyOf(files));
        identities.described.addAll(described);
        return identities;
    }

    /** What is offered, for the error when the host accepts none of it. */
    String describe() {
        return described.isEmpty() ? "no key: no ssh-agent (SSH_AUTH_SOCK) and no IdentityFile found" : String.join(", ", described);
    }

    @Override
    public String getName() {
        return "hotsnap keys";
    }

    @Override
    public int getStatus() {
        return RUNNING;
    }

    @Override
    public Vector<Identity> getIdentities() {
        Vector<Identity> all = new Vector<>();
        if (agent != null) {
            try {
                all.addAll(agent.getIdentities());
            } catch (RuntimeException e) {
                LOG.warn("ssh-agent did not list its keys: {}", e.getMessage());
            }
        }
        all.addAll(files);
        return all;
    }

    @Override
    public boolean add(byte[] identity) {
        return false;
    }

    @Override
    public boolean remove(byte[] blob) {
        return false;
    }

    @Override
    public void removeAll() {
    }
}
