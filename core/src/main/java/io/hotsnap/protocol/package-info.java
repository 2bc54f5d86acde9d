/**
 * The wire protocol between a coordinator and its agents (DESIGN §4): one JSON line per
 * {@link io.hotsnap.protocol.Message}, the codec, the line framing, and the records both ends
 * exchange or keep (results, events, catalog entries). Neither end's logic lives here: see
 * {@code io.hotsnap.agent} (host side) and {@code io.hotsnap.coordinator} (console side).
 */
package io.hotsnap.protocol;
