package io.hotsnap.agent;

import io.hotsnap.protocol.AgentHandler;
import io.hotsnap.protocol.RequestRoutes;
import java.time.Duration;
import java.util.List;

/**
 * One agent handler made of one handler per concern (the host, snapshots, the catalog, restores):
 * each adds its own routes, and every lifecycle call reaches each of them, in the order given.
 */
public class ComposedAgentHandler implements AgentHandler {

    private final List<AgentHandler> concerns;

    public ComposedAgentHandler(List<AgentHandler> concerns) {
        this.concerns = List.copyOf(concerns);
    }

    @Override
    public void addRoutes(RequestRoutes routes) {
        concerns.forEach(c -> c.addRoutes(routes));
    }

    @Override
    public void shutdown() {
        concerns.forEach(AgentHandler::shutdown);
    }

    @Override
    public boolean awaitsCoordinator() {
        return concerns.stream().anyMatch(AgentHandler::awaitsCoordinator);
    }

    @Override
    public void coordinatorSilent(Duration silence) {
        concerns.forEach(c -> c.coordinatorSilent(silence));
    }

    @Override
    public void coordinatorLost() {
        concerns.forEach(AgentHandler::coordinatorLost);
    }
}
