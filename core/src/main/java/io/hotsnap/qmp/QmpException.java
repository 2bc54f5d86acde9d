package io.hotsnap.qmp;

/** Root of every failure the QMP client reports; unchecked so futures and callers share one type. */
public class QmpException extends RuntimeException {

    public QmpException(String message) {
        super(message);
    }

    public QmpException(String message, Throwable cause) {
        super(message, cause);
    }
}
