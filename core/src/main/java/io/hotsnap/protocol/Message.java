package io.hotsnap.protocol;

/**
 * One line of the agent protocol (DESIGN §4): a {@link Request} from the coordinator, a
 * {@link Reply} echoing its id, or an {@link AgentEvent} the agent streams on its own. The envelope
 * fields {@code "v"} and {@code "type"} are added and checked by {@link ProtocolCodec}, so the
 * records hold only what differs between messages.
 */
public sealed interface Message permits Request, Reply, AgentEvent {
}
