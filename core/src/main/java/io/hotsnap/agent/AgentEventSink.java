package io.hotsnap.agent;

import io.hotsnap.protocol.EventKind;

/** Where an {@link io.hotsnap.protocol.AgentHandler} sends events; the agent numbers them and writes each as one line. */
@FunctionalInterface
public interface AgentEventSink {

    /**
     * @param vm             the VM concerned, or null
     * @param hostTimeMicros this host's wall clock, µs since the epoch (QEMU's timestamp for STOP/RESUME)
     * @param data           anything Jackson turns into a JSON object, or null
     */
    void emit(EventKind kind, String vm, long hostTimeMicros, Object data);
}
