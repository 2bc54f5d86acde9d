package io.hotsnap.guard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a guard undoes for one armed entry if the agent dies: in the VM behind {@code qmp} (a QMP
 * socket path, or {@code libvirt:URI/NAME}), {@code cont} if {@code resume}, {@code migrate_cancel}
 * if {@code cancelMigration}, {@code object-del} of {@code filters}, {@code capabilities} set back;
 * or, with {@code qmp} null, the nftables bridge table {@code nftTable} deleted.
 */
public record Undo(String qmp, boolean resume, boolean cancelMigration, List<String> filters, Map<String, Boolean> capabilities,
                   String nftTable) {

    public Undo {
        filters = filters == null ? List.of() : List.copyOf(filters);
        capabilities = capabilities == null ? Map.of() : Map.copyOf(capabilities);
    }

    /** A VM whose migration capabilities we changed: {@code capabilities} are what to set them back to. */
    public static Undo vm(String qmpTarget, Map<String, Boolean> capabilities) {
        return new Undo(qmpTarget, false, false, List.of(), capabilities, null);
    }

    /** A packet-drop table of ours. */
    public static Undo nftTable(String table) {
        return new Undo(null, false, false, List.of(), Map.of(), table);
    }

    /** About to pause or migrate: {@code cont} if the VM ran before us, and cancel a migration that is not a background snapshot. */
    public Undo pausing(boolean resume, boolean cancelMigration) {
        return new Undo(qmp, resume, cancelMigration, filters, capabilities, nftTable);
    }

    /**
     * The pause is over and the VM runs: from now on a {@code cont} would be ours to send no more
     * (its owner may pause it meanwhile), nor a migration to cancel (a background snapshot drains).
     */
    public Undo resumed() {
        return pausing(false, false);
    }

    /** One more of our {@code filter-buffer} objects in the VM. */
    public Undo withFilter(String id) {
        List<String> all = new ArrayList<>(filters);
        all.add(id);
        return new Undo(qmp, resume, cancelMigration, all, capabilities, nftTable);
    }
}
