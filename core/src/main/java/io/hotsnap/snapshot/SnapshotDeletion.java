package io.hotsnap.snapshot;

import java.io.IOException;
import java.util.List;

/**
 * Deletes a committed snapshot unless something running uses its files (a restored clone's or an
 * in-place restore's overlay backed by its disk copies): deleting them would leave that VM on
 * deleted files, unable to start again. The VMs are asked, not the restore records.
 */
public final class SnapshotDeletion {

    private final SnapshotStore store;
    private final BackingUsers users;

    public SnapshotDeletion(SnapshotStore store, BackingUsers users) {
        this.store = store;
        this.users = users;
    }

    /**
     * @throws SnapshotException refused, with nothing deleted: no such snapshot, or what uses it
     *                           (by name, with the files), and how to free it
     */
    public void delete(String id) throws IOException {
        if (store.read(id).filter(m -> id.equals(m.id())).isEmpty()) {
            throw SnapshotException.refused("no snapshot '" + id + "' in " + store.root());
        }
        List<SnapshotUser> using = users.of(store.dir(id));
        if (!using.isEmpty()) {
            throw SnapshotException.refused("snapshot " + id + " is not deleted: running VMs use its files: " + BackingUsers.describe(using)
                    + "; make each independent first with 'hotsnap detach VM'");
        }
        store.delete(id);
    }
}
