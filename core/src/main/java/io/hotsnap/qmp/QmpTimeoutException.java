package io.hotsnap.qmp;

/** No answer (reply, greeting or awaited event) within the caller's timeout. */
public class QmpTimeoutException extends QmpException {

    public QmpTimeoutException(String message) {
        super(message);
    }
}
