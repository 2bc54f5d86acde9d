package io.hotsnap.cli;

import io.hotsnap.coordinator.LocalAgentLink;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --hosts}, the same on every command that reaches hosts through their agents. */
final class HostsOption {

    @Option(names = "--hosts", paramLabel = "HOST", split = ",", defaultValue = LocalAgentLink.HOST_NAME,
            description = "the hosts: local, user@host[:port] or an alias of the SSH config (default ${DEFAULT-VALUE})")
    private List<String> hosts;

    /** The hosts named, blanks dropped. */
    List<String> names() {
        return Values.names(hosts);
    }
}
