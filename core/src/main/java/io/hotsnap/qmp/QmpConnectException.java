package io.hotsnap.qmp;

/** The socket could not be reached, or the greeting or capability negotiation failed (see the cause). */
public class QmpConnectException extends QmpException {

    public QmpConnectException(String message, Throwable cause) {
        super(message, cause);
    }
}
