#!/usr/bin/env bash
# Starts virtlogd and libvirtd as daemons on a machine without systemd (CI, containers), once:
# a daemon already answering is left alone. libvirt's tests and `hotsnap vms` need qemu:///system.
set -euo pipefail
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
running() { [ -f "$1" ] && $sudo kill -0 "$(cat "$1")" 2>/dev/null; }
running /run/virtlogd.pid || $sudo virtlogd -d
if ! running /run/libvirtd.pid; then
  $sudo libvirtd -d
fi
# libvirtd -d returns before its socket listens.
for _ in $(seq 50); do
  virsh -c qemu:///system version >/dev/null 2>&1 && exit 0
  sleep 0.2
done
echo "start-libvirt: libvirtd does not answer on qemu:///system" >&2
exit 1
