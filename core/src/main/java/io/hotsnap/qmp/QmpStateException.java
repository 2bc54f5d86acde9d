package io.hotsnap.qmp;

/** An operation was called while the client was in a state that does not allow it. */
public class QmpStateException extends QmpException {

    private final QmpState actual;
    private final QmpState required;

    public QmpStateException(String operation, QmpState actual, QmpState required) {
        super("cannot " + operation + ": QMP client is " + actual + ", must be " + required);
        this.actual = actual;
        this.required = required;
    }

    public QmpState actual() {
        return actual;
    }

    public QmpState required() {
        return required;
    }
}
