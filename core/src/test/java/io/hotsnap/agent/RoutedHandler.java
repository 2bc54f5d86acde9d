package io.hotsnap.agent;

import io.hotsnap.protocol.AgentHandler;
import io.hotsnap.protocol.HelloResult;
import io.hotsnap.protocol.Request;
import io.hotsnap.protocol.RequestRoutes;
import java.util.List;

/** A handler's routes asked directly, as the agent asks them, without a wire in between. */
final class RoutedHandler {

    private final RequestRoutes routes = new RequestRoutes();

    RoutedHandler(AgentHandler handler) {
        handler.addRoutes(routes);
    }

    /** The route's result; its ProtocolException as is, any other checked failure wrapped. */
    Object answer(Request request) {
        try {
            return routes.answer(request);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    List<String> capabilities() {
        return ((HelloResult) answer(new Request.Hello())).capabilities();
    }
}
