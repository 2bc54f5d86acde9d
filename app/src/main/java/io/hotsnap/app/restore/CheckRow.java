package io.hotsnap.app.restore;

/** One preflight check as the checklist shows it: on which host, for which VM, passed or not, and why. */
public record CheckRow(String host, String vm, String check, boolean ok, String detail) {

    /** "vm on host: check — detail": a reason line under the checklist. */
    String reason() {
        return vm + " on " + host + ": " + check + " — " + detail;
    }
}
