package io.hotsnap.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotsnap.host.SafeName;
import io.hotsnap.restore.RestoreChoice;
import java.util.List;

/**
 * Checks shared by the message records' constructors. They throw IllegalArgumentException, which the
 * codec turns into a {@code bad-request} reply naming the field.
 */
final class Fields {

    private Fields() {
    }

    static String text(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    /** A snapshot or restore id: it names directories and files on the agent's host, so it passes {@link SafeName}. */
    static String id(String value, String field) {
        return SafeName.check(field, text(value, field));
    }

    static JsonNode object(JsonNode value, String field) {
        if (value == null || !value.isObject()) {
            throw new IllegalArgumentException(field + " must be a JSON object");
        }
        return value;
    }

    /** A non-empty list of non-blank names, copied; null allowed only when {@code optional}. */
    static List<String> names(List<String> values, String field, boolean optional) {
        if (values == null) {
            if (optional) {
                return null;
            }
            throw new IllegalArgumentException(field + " is required");
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
        for (String v : values) {
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException(field + " must not contain blank names");
            }
            SafeName.checkVmName(v);
        }
        return List.copyOf(values);
    }

    /** A non-empty list of restore choices, each VM at most once, each clone name at most once; copied. */
    static List<RestoreChoice> choices(List<RestoreChoice> values) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException("vms must not be empty");
        }
        java.util.Set<String> vms = new java.util.HashSet<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (RestoreChoice c : values) {
            if (c == null) {
                throw new IllegalArgumentException("vms must not contain null");
            }
            SafeName.checkVmName(c.vm());
            if (c.asClone() != null) {
                SafeName.check("asClone", c.asClone());
            }
            if (!vms.add(c.vm())) {
                throw new IllegalArgumentException("vms names " + c.vm() + " twice");
            }
            if (!names.add(c.restoredName())) {
                throw new IllegalArgumentException("two VMs would run as " + c.restoredName());
            }
        }
        return List.copyOf(values);
    }
}
