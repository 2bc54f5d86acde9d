package io.hotsnap.protocol;

/**
 * One line of the agent protocol (DESIGN §4): a {@link Request} from the coordinator in its
 * {@link Envelope}, a {@link Reply} echoing its id, or an {@link AgentEvent} the agent streams on
 * its own. {@code "v"} is added and checked by {@link ProtocolCodec}, {@code "type"} is each
 * record's Jackson type name, so the records hold only what differs between messages.
 */
public sealed interface Message permits Envelope, Reply, AgentEvent {
}
