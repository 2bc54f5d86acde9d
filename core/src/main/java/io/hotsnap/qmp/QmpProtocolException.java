package io.hotsnap.qmp;

/** QEMU sent something that is not valid QMP (malformed JSON, a reply without id, no greeting...). */
public class QmpProtocolException extends QmpException {

    public QmpProtocolException(String message) {
        super(message);
    }

    public QmpProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
