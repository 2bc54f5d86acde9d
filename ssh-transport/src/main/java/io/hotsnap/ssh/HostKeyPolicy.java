package io.hotsnap.ssh;

/** What to do with a host key seen for the first time (OpenSSH's StrictHostKeyChecking). A changed key is refused under every policy. */
public enum HostKeyPolicy {
    /** {@code yes}: refuse it; the administrator adds it to known_hosts. */
    STRICT,
    /** {@code accept-new} (and {@code no}, which we narrow to it): write it to known_hosts and go on. */
    ACCEPT_NEW,
    /** {@code ask}, OpenSSH's default: show its fingerprint to the user; with nobody to ask, refuse it. */
    ASK;

    static HostKeyPolicy parse(String value) {
        if (value == null) {
            return ASK;
        }
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "yes", "true" -> STRICT;
            case "accept-new", "no", "off", "false" -> ACCEPT_NEW;
            case "ask" -> ASK;
            default -> throw new IllegalArgumentException("StrictHostKeyChecking '" + value + "': expected yes, accept-new, no or ask");
        };
    }
}
