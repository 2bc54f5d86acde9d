package io.hotsnap.cluster;

import io.hotsnap.net.TrafficResult;

/** One agent's captures, with the session whose clock offset maps them to the coordinator's clock. */
record AgentTraffic(AgentSession session, TrafficResult traffic) {
}
