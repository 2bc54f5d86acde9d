/**
 * The host side of the protocol: the agent process reads requests and writes replies and events
 * ({@link io.hotsnap.agent.Agent}), its handlers serve them (host, snapshot, restore, catalog), and
 * the host's VM sources are composed here. Never depends on {@code io.hotsnap.coordinator}.
 */
package io.hotsnap.agent;
