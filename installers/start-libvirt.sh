#!/usr/bin/env bash
# Starts virtlogd and libvirtd as daemons on a machine without systemd (CI, containers), once:
# a daemon already answering is left alone. libvirt's tests and `hotsnap vms` need qemu:///system.
set -euo pipefail
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
running() { [ -f "$1" ] && $sudo kill -0 "$(cat "$1")" 2>/dev/null; }
# Without udev, /dev/kvm keeps the kernel's root:root 0600. libvirtd then never trusts its QEMU
# capabilities cache: its probe QEMU runs with CAP_DAC_OVERRIDE and finds KVM, while the cache check
# asks whether libvirt's QEMU user (libvirt-qemu) may open /dev/kvm, which it may not. Every domain
# start re-probed QEMU (22 probes, 48 s per `virsh create` here; docs/LIBVIRT-RESTORE.md). Give the
# device what Debian's udev rule gives it (group kvm, 0660; libvirt-qemu's primary group is kvm).
# Only the kernel's default is changed; a mode an administrator or udev chose is left alone.
if [ -c /dev/kvm ] && [ "$(stat -c %u:%g:%a /dev/kvm)" = 0:0:600 ] && getent group kvm >/dev/null; then
  $sudo chgrp kvm /dev/kvm
  $sudo chmod 0660 /dev/kvm
fi
# A daemon keeps every descriptor it inherits: started under `flock LOCK cmd` (as the tests run
# QEMU work) it would hold that lock for as long as it lives. Only stdin/out/err go along.
daemon() {
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd=${fd##*/}
      [ "$fd" -gt 2 ] && eval "exec $fd>&-"
    done
    exec $sudo "$@"
  )
}
running /run/virtlogd.pid || daemon virtlogd -d
if ! running /run/libvirtd.pid; then
  daemon libvirtd -d
fi
# libvirtd -d returns before its socket listens.
for _ in $(seq 50); do
  virsh -c qemu:///system version >/dev/null 2>&1 && exit 0
  sleep 0.2
done
echo "start-libvirt: libvirtd does not answer on qemu:///system" >&2
exit 1
