package io.hotsnap.ssh;

import java.nio.file.Path;

/**
 * A host key seen for the first time, as the user is asked about it.
 *
 * @param host           the known_hosts name ({@code [host]:port} unless port 22)
 * @param knownHostsFile where it is written if accepted
 */
public record NewHostKey(String host, String keyType, String fingerprint, Path knownHostsFile) {

    /** The question, in OpenSSH's words. */
    public String question() {
        return "The authenticity of host '" + host + "' can't be established.\n" + keyType + " key fingerprint is " + fingerprint
                + ".\nAccept it and add it to " + knownHostsFile + "?";
    }
}
