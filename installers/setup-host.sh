#!/usr/bin/env bash
# installers/setup-host.sh [--role dev|console|kvm-host] — installs the Debian/Ubuntu packages a
# machine needs for its role in HotSnap, and does nothing when they are there.
#
#   dev (the default: what the README's two commands and .ci/run need) — everything below, plus
#     QEMU and the tools the local lab builds its guest with (busybox, cpio, xz, kmod, iproute2),
#     Xvfb for headless screenshots, OpenSSH's server and sudo for the SSH transport's tests (a real
#     sshd; an agent started through sudo -n), zsh, tcsh and fish (login shells the agent must start
#     under), fakeroot and binutils (jpackage's .deb, jlink's --strip-debug), xdg-utils (a Depends of
#     the .deb, which deb-test.sh installs here), python3 (smoke-test.sh reads its PNG), poppler-utils
#     (the PDF report's test renders its pages), libvirt (domains as a VM source; start-libvirt.sh
#     starts its daemons without systemd) and ovmf (the UEFI guest's firmware).
#   console — the administrator's workstation: a JDK 17 (./hotsnap builds itself from the sources;
#     the .deb brings its own runtime instead), GTK for the JavaFX window, the DejaVu fonts the
#     reports embed, and OpenSSH's client config the console reads.
#   kvm-host — a host whose VMs are snapshotted: a Java 17 runtime for the agent, tcpdump (the
#     cut's traffic capture) and nftables (the precopy baseline's drops). Nothing else: QEMU,
#     libvirt or Proxmox are the host's own, and HotSnap installs no daemon there.
set -euo pipefail
role=dev
case "${1:-}" in
  "") ;;
  --role) role="${2:-}" ;;
  --role=*) role="${1#--role=}" ;;
  *) echo "usage: $0 [--role dev|console|kvm-host]" >&2; exit 2 ;;
esac
console=(openjdk-17-jdk-headless libgtk-3-0 fonts-dejavu-core openssh-client)
kvm_host=(openjdk-17-jre-headless tcpdump nftables)
case "$role" in
  console) packages=("${console[@]}") ;;
  kvm-host) packages=("${kvm_host[@]}") ;;
  dev) packages=("${console[@]}" tcpdump nftables qemu-system-x86 qemu-utils busybox-static cpio xz-utils kmod
                 iproute2 xvfb xauth openssh-server sudo zsh tcsh fish fakeroot binutils xdg-utils python3 poppler-utils
                 libvirt-daemon-system libvirt-clients ovmf) ;;
  *) echo "setup-host: unknown role '$role' (dev, console or kvm-host)" >&2; exit 2 ;;
esac
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if [ ${#missing[@]} -eq 0 ]; then
  # The lab's guest kernel comes from apt-get download, which needs apt's package lists.
  if [ "$role" = dev ]; then
    apt-cache policy linux-image-amd64 2>/dev/null | grep -q "Candidate: [0-9]" || $sudo apt-get update -qq
  fi
  exit 0
fi
echo "setup-host ($role): installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
