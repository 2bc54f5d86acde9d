package io.hotsnap.coordinator;

import io.hotsnap.net.TrafficResult;
import io.hotsnap.protocol.ProtocolCodec;
import io.hotsnap.protocol.Reply;
import io.hotsnap.protocol.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** One agent's captures, with the session whose clock offset maps them to the coordinator's clock. */
record AgentTraffic(AgentSession session, TrafficResult traffic) {

    /**
     * Every session's captures, asked of all at once.
     *
     * @throws Missing naming the first host that has none, and why: an analysis missing a host's
     *                 frames would report its flows as stalled
     */
    static List<AgentTraffic> collect(List<AgentSession> sessions, Function<AgentSession, Request> ask, Duration timeout) {
        List<CompletableFuture<Reply>> replies = sessions.stream().map(s -> s.link().request(ask.apply(s), timeout)).toList();
        List<AgentTraffic> captured = new ArrayList<>();
        for (int i = 0; i < sessions.size(); i++) {
            String host = sessions.get(i).host();
            TrafficResult t;
            try {
                t = ProtocolCodec.resultAs(replies.get(i).join(), TrafficResult.class);
            } catch (RuntimeException e) {
                throw new Missing(host + ": " + AgentSession.unwrapped(e).getMessage());
            }
            if (t.unavailable() != null) {
                throw new Missing(host + ": " + t.unavailable());
            }
            captured.add(new AgentTraffic(sessions.get(i), t));
        }
        return captured;
    }

    /** Some host sent no captures: the TCP figures are missing, the snapshot or restore stands. */
    static final class Missing extends RuntimeException {
        Missing(String reason) {
            super(reason);
        }
    }
}
