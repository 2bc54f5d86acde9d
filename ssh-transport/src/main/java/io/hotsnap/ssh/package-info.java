/** Reaching KVM hosts over SSH: sessions, host-key checks, agent deployment (the SSH issue). */
package io.hotsnap.ssh;
