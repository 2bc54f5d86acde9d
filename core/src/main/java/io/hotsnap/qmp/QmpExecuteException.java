package io.hotsnap.qmp;

/** QEMU answered a command with an error; keeps QEMU's error class (e.g. "GenericError") and text. */
public class QmpExecuteException extends QmpException {

    private final String command;
    private final String errorClass;
    private final String description;

    public QmpExecuteException(String command, String errorClass, String description) {
        super("QEMU refused '" + command + "': " + errorClass + ": " + description);
        this.command = command;
        this.errorClass = errorClass;
        this.description = description;
    }

    public String command() {
        return command;
    }

    public String errorClass() {
        return errorClass;
    }

    public String description() {
        return description;
    }
}
