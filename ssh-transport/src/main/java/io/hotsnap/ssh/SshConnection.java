package io.hotsnap.ssh;

import com.jcraft.jsch.Session;
import java.util.ArrayList;
import java.util.List;

/** One host's SSH session, and the jump hosts' sessions it travels through (closed with it, last first). */
final class SshConnection implements AutoCloseable {

    private final SshHostConfig host;
    private final Session session;
    private final List<Session> jumps;

    SshConnection(SshHostConfig host, Session session, List<Session> jumps) {
        this.host = host;
        this.session = session;
        this.jumps = List.copyOf(jumps);
    }

    SshHostConfig host() {
        return host;
    }

    Session session() {
        return session;
    }

    boolean isConnected() {
        return session.isConnected();
    }

    @Override
    public void close() {
        session.disconnect();
        List<Session> reversed = new ArrayList<>(jumps);
        java.util.Collections.reverse(reversed);
        reversed.forEach(Session::disconnect);
    }
}
