package io.hotsnap.snapshot;

import java.util.List;

/**
 * The snapshot's global manifest ({@code ID/manifest.json}). It is written last, atomically, once
 * every part is complete and synced: a snapshot without it does not exist.
 */
public record Manifest(int version, String id, String host, long createdAt, String mode, String diskMode, String status, List<VmPart> vms) {

    public static final int VERSION = 1;
    public static final String COMMITTED = "committed";
}
