package io.hotsnap.restore;

/**
 * One line of a restore's preflight checklist: what was checked for which VM, whether it passed,
 * and in one line what was found (the file, the figure, the reason).
 *
 * @param check one of the {@code *} constants: the same names for every VM, so a console can lay
 *              the list out as a grid
 */
public record PreflightCheck(String check, String vm, boolean ok, String detail) {

    public static final String FILES = "files present";
    public static final String CHECKSUMS = "sizes and checksums";
    public static final String SPACE = "free space";
    public static final String QEMU = "QEMU version";
    public static final String CPU = "CPU model";
    public static final String REACHABLE = "VM reachable";
    public static final String CLONE_NAME = "clone name free";
    public static final String COMMAND_LINE = "command line";
    /** A UEFI VM's firmware code (not in the snapshot) is still on the host. */
    public static final String FIRMWARE = "UEFI firmware";
    /** The store, snapshot and part directories are the restoring user's, writable by no one else. */
    public static final String OWNERSHIP = "store ownership";
    /** The manifest's part is what the part's own part.json says. */
    public static final String PART_RECORD = "part record";
    /** The binary and options the restore runs as root run nothing else. */
    public static final String PROGRAMS = "programs run as root";
    /** The VM is not in the snapshot's part on this host. */
    public static final String SNAPSHOT = "in the snapshot";

    static PreflightCheck pass(String check, String vm, String detail) {
        return new PreflightCheck(check, vm, true, detail);
    }

    static PreflightCheck fail(String check, String vm, String detail) {
        return new PreflightCheck(check, vm, false, detail);
    }

    /** "vm: check: detail", for a refusal. */
    public String line() {
        return vm + ": " + check + ": " + detail;
    }
}
