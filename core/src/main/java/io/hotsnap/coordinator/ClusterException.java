package io.hotsnap.coordinator;

/** A cluster snapshot that did not commit; by the time it is thrown, every agent was told to abort. */
public final class ClusterException extends RuntimeException {

    public ClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
