package io.hotsnap.vm;

/**
 * A VM that libvirt manages, as libvirt knew it at snapshot time: what a restore needs to bring it
 * back as a libvirt domain (never as a QEMU process libvirt does not know).
 *
 * @param uri  the libvirt connection ({@code qemu:///system})
 * @param xml  {@code virsh dumpxml --migratable}: the definition QEMU's device state belongs to
 */
public record DomainRecord(String uri, String name, String uuid, String xml) {
}
