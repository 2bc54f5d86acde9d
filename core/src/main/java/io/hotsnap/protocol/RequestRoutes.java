package io.hotsnap.protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which code answers which request type on an agent: each handler adds a route per request it
 * serves ({@link AgentHandler#addRoutes}); any other type is answered {@code unsupported}. A type has
 * one route: a second is a wiring bug, refused when added.
 */
public final class RequestRoutes {

    /** Answers one request type: the {@code ok} result (null for {@code {}}), or an exception for an {@code error}. */
    @FunctionalInterface
    public interface Route<R extends Request> {
        Object answer(R request) throws Exception;
    }

    private final Map<Class<? extends Request>, Route<? extends Request>> routes = new LinkedHashMap<>();

    public <R extends Request> RequestRoutes on(Class<R> type, Route<R> route) {
        Objects.requireNonNull(route, "route");
        if (routes.putIfAbsent(type, route) != null) {
            throw new IllegalStateException("two routes for '" + ProtocolCodec.typeOf(type) + "'");
        }
        return this;
    }

    /** Runs the route of {@code request}'s type. */
    public Object answer(Request request) throws Exception {
        @SuppressWarnings("unchecked") // on() keys every route by the type it takes
        Route<Request> route = (Route<Request>) routes.get(request.getClass());
        if (route == null) {
            throw ProtocolException.unsupported(ProtocolCodec.typeOf(request));
        }
        return route.answer(request);
    }

    /** The wire names of the routed types, in the order they were added. */
    public List<String> types() {
        return routes.keySet().stream().map(ProtocolCodec::typeOf).toList();
    }
}
