package io.hotsnap.guard;

/**
 * One line from an agent to its guard: {@code arm} (what to undo for {@code key}, replacing what
 * was armed under it), {@code disarm} (done, nothing left to undo for {@code key}), {@code alive}.
 */
record GuardLine(String op, String key, Undo undo) {

    static final String ARM = "arm";
    static final String DISARM = "disarm";
    static final String ALIVE = "alive";
}
