package io.hotsnap.bench;

/** A way to snapshot a libvirt domain that {@code hotsnap bench --peer libvirt} compares. */
enum PeerMethod {
    /** Ours, through the libvirt VM source, as {@code hotsnap snapshot --vms NAME --mode hotsnap} takes it. */
    HOTSNAP("hotsnap", true),
    /** {@code virsh snapshot-create-as … --memspec … --diskspec … --live}: memory saved while the guest runs, paused at the end. */
    LIBVIRT_LIVE("libvirt --live", true),
    /** The same without {@code --live}: the guest stays paused while its memory is saved. */
    LIBVIRT("libvirt", false);

    private final String label;
    private final boolean hot;

    PeerMethod(String label, boolean hot) {
        this.label = label;
        this.hot = hot;
    }

    String label() {
        return label;
    }

    /** Whether the guest runs while its memory is saved (the methods whose pause should be short). */
    boolean hot() {
        return hot;
    }
}
