package io.hotsnap.qmp;

import com.fasterxml.jackson.databind.JsonNode;

/** QEMU's version as announced in the QMP greeting; {@code packageName} is the distribution's build tag. */
public record QmpVersion(int major, int minor, int micro, String packageName) {

    static QmpVersion fromGreeting(JsonNode greeting) {
        JsonNode version = greeting.path("QMP").path("version");
        JsonNode qemu = version.path("qemu");
        if (!qemu.path("major").isInt() || !qemu.path("minor").isInt() || !qemu.path("micro").isInt()) {
            throw new QmpProtocolException("expected a QMP greeting with a QEMU version, got: " + greeting);
        }
        return new QmpVersion(
                qemu.get("major").intValue(),
                qemu.get("minor").intValue(),
                qemu.get("micro").intValue(),
                version.path("package").asText(""));
    }

    /** "7.2.22", the form {@code qemu-system-* --version} prints. */
    @Override
    public String toString() {
        return major + "." + minor + "." + micro;
    }
}
