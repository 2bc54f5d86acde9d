package io.hotsnap.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts a recorded command line's disks on their restore overlays, in every form QEMU takes them:
 * {@code -drive file=…}, {@code -drive file.driver=…,file.filename=…}, and {@code -blockdev} as
 * libvirt writes it (a {@code file}/{@code host_device} storage node under a {@code qcow2}/{@code raw}
 * format node naming it by {@code node-name}) or nested in one node, keyval or JSON. An overlay is a
 * qcow2 file whatever the disk was (a raw block device, a qcow2 with a backing chain), so its storage
 * node becomes {@code driver=file} and its format node {@code qcow2} without the recorded
 * {@code backing}: the overlay's backing is the snapshot's copy, which holds the whole chain. A UEFI
 * VARS flash is restored as a raw copy instead ({@link Firmware}): only its file changes.
 *
 * <p>Also finds what the VM would write that the snapshot did not copy: a writable image file, block
 * device or network disk ({@code nbd}, {@code rbd}, {@code iscsi} …) left as recorded.
 */
final class DiskRedirect {

    /** Protocol drivers that open a disk without a local file name. */
    private static final Set<String> NETWORK = Set.of("nbd", "rbd", "iscsi", "gluster", "nfs", "ssh", "http", "https", "ftp", "ftps",
            "curl", "vxhs", "libnfs");

    private final List<BlockOption> options;
    /** -blockdev node names opened read-only: marked so, a backing image, or only a read-only node's file. */
    private final Set<String> readOnlyNodes;
    /** The nodes now opening an overlay (by identity: two disks' options may read alike). */
    private final Set<ObjectNode> redirected = Collections.newSetFromMap(new IdentityHashMap<>());

    private DiskRedirect(List<BlockOption> options) {
        this.options = options;
        this.readOnlyNodes = readOnlyNodes(options);
    }

    /**
     * Redirects {@code overlays} (original file → overlay) in place in {@code options}.
     *
     * @return the writable disks left as recorded: the snapshot has no copy of them
     * @throws IllegalArgumentException naming a copied disk no option opens
     */
    static List<String> apply(List<BlockOption> options, Map<String, Path> overlays) {
        DiskRedirect r = new DiskRedirect(options);
        for (Map.Entry<String, Path> o : overlays.entrySet()) {
            if (!r.redirect(o.getKey(), o.getValue().toString())) {
                throw new IllegalArgumentException("the recorded command line does not open disk " + o.getKey()
                        + " with -drive or -blockdev, so it cannot be redirected to the snapshot");
            }
        }
        return r.uncopied();
    }

    private boolean redirect(String original, String overlay) {
        boolean qcow2 = overlay.endsWith(".qcow2");
        boolean found = false;
        for (BlockOption o : options) {
            ObjectNode root = o.tree();
            if (!o.isBlockdev() && root.path("file").isTextual() && root.path("file").asText().equals(original)) {
                root.put("file", overlay);
                if (qcow2) {
                    toQcow2(root);
                }
                redirected.add(root);
                found = true;
                continue;
            }
            ObjectNode parent = null;
            for (ObjectNode node = root; node != null; parent = node, node = node.get("file") instanceof ObjectNode f ? f : null) {
                if (node.path("filename").asText().equals(original)) {
                    node.put("driver", "file");
                    node.put("filename", overlay);
                    redirected.add(node);
                    found = true;
                    if (!qcow2) {
                        continue;
                    }
                    if (parent != null) {
                        toQcow2(parent);
                    } else {
                        formatNodesOf(root.path("node-name").asText(), node);
                    }
                }
            }
        }
        return found;
    }

    /** libvirt's format nodes name their storage node; a storage node no format node names is the disk itself. */
    private void formatNodesOf(String storage, ObjectNode storageNode) {
        boolean named = false;
        for (BlockOption o : options) {
            if (o.isBlockdev() && !storage.isEmpty() && o.tree().path("file").asText().equals(storage)) {
                toQcow2(o.tree());
                named = true;
            }
        }
        if (!named) {
            ObjectNode file = storageNode.objectNode().put("driver", "file").put("filename", storageNode.path("filename").asText());
            storageNode.remove("filename");
            storageNode.put("driver", "qcow2");
            storageNode.set("file", file);
            redirected.add(file);
        }
    }

    private static void toQcow2(ObjectNode format) {
        if (format.has("driver")) {
            format.put("driver", "qcow2");
        }
        if (format.has("format")) {
            format.put("format", "qcow2");
        }
        format.remove("backing");
    }

    private List<String> uncopied() {
        List<String> found = new ArrayList<>();
        for (BlockOption o : options) {
            ObjectNode root = o.tree();
            if (readOnly(root) || o.isBlockdev() && readOnlyNodes.contains(root.path("node-name").asText())) {
                continue;
            }
            if (!o.isBlockdev() && root.path("file").isTextual()) {
                if (!redirected.contains(root)) {
                    found.add(root.path("file").asText());
                }
                continue;
            }
            for (ObjectNode node = root; node != null; node = node.get("file") instanceof ObjectNode f ? f : null) {
                if ((node.has("filename") || NETWORK.contains(node.path("driver").asText())) && !redirected.contains(node)) {
                    found.add(describe(node));
                }
            }
        }
        return found;
    }

    private static String describe(ObjectNode leaf) {
        if (leaf.has("filename")) {
            return leaf.path("filename").asText();
        }
        ObjectNode where = leaf.deepCopy();
        where.remove(List.of("driver", "node-name"));
        return leaf.path("driver").asText() + " " + where;
    }

    private static boolean readOnly(ObjectNode root) {
        return BlockOption.isOn(root.get("read-only")) || BlockOption.isOn(root.get("readonly")) || BlockOption.isOn(root.get("snapshot"))
                || root.path("media").asText().equals("cdrom");
    }

    /**
     * Until nothing changes: a node is read-only when marked so, when it is another node's backing
     * (QEMU opens backing images read-only), or when only read-only nodes name it as their file.
     */
    private static Set<String> readOnlyNodes(List<BlockOption> options) {
        Set<String> ro = new HashSet<>();
        Set<String> backing = new HashSet<>();
        for (BlockOption o : options) {
            if (o.isBlockdev() && o.tree().path("backing").isTextual()) {
                backing.add(o.tree().path("backing").asText());
            }
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (BlockOption o : options) {
                String name = o.tree().path("node-name").asText();
                if (o.isBlockdev() && !name.isEmpty() && !ro.contains(name)
                        && (readOnly(o.tree()) || backing.contains(name) || onlyReadOnlyUsers(options, name, ro))) {
                    ro.add(name);
                    changed = true;
                }
            }
        }
        return ro;
    }

    private static boolean onlyReadOnlyUsers(List<BlockOption> options, String name, Set<String> ro) {
        boolean used = false;
        for (BlockOption o : options) {
            if (o.isBlockdev() && o.tree().path("file").asText().equals(name)) {
                if (!ro.contains(o.tree().path("node-name").asText())) {
                    return false;
                }
                used = true;
            }
        }
        return used;
    }
}
