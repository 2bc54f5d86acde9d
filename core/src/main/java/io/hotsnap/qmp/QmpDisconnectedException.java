package io.hotsnap.qmp;

/**
 * The connection ended (closed by us, QEMU exited, or the stream broke) before an answer came: the
 * "interrupted" error every pending command and waiting subscriber gets.
 */
public class QmpDisconnectedException extends QmpException {

    public QmpDisconnectedException(String message) {
        super(message);
    }

    public QmpDisconnectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
