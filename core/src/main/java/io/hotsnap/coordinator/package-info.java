/**
 * The console side of the protocol: links to agents (a local child process here, SSH in
 * {@code ssh-transport}), clock offsets, and the cluster cut and restore driven across them with
 * their timeline. Never depends on {@code io.hotsnap.agent}.
 */
package io.hotsnap.coordinator;
