package io.hotsnap.libvirt;

/** libvirt refused or could not be reached; the message is virsh's own error line. */
public final class VirshException extends RuntimeException {

    public VirshException(String message) {
        super(message);
    }
}
