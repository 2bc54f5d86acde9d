package io.hotsnap.app;

import io.hotsnap.app.engine.HostList;
import io.hotsnap.coordinator.AgentConnector;
import io.hotsnap.lab.LabConfig;
import io.hotsnap.ssh.SshAgentConnector;
import io.hotsnap.ssh.SshSettings;

/**
 * What the console is wired to: how hosts are reached, which hosts it remembers, which local lab
 * its "Start local lab" boots, and whether it connects at start (tests start empty).
 */
public record ConsoleSettings(AgentConnector connector, HostList hosts, LabConfig lab, boolean connectAtStart) {

    /** The lab the console boots: the default three guests, dirtying memory so the copy has work to show. */
    static final int LAB_DIRTY_MIBPS = 16;

    /** The administrator's: ~/.ssh/config and known_hosts, prompts as dialogs, the default lab. */
    public static ConsoleSettings standard() {
        HostList hosts = HostList.standard();
        return new ConsoleSettings(new SshAgentConnector(SshSettings.fromEnvironment(null), new DialogSshPrompts(), hosts::key),
                hosts, LabConfig.defaults().withDirtyMiBps(LAB_DIRTY_MIBPS), true);
    }
}
