#!/usr/bin/env bash
# Installs what HotSnap needs on a Debian/Ubuntu machine: a JDK 17 to build and run it, QEMU and
# the tools the local lab builds its guest with, GTK for the JavaFX window, Xvfb for headless
# screenshots, OpenSSH and sudo for the SSH transport's tests (a real sshd; an agent started
# through sudo -n), tcpdump (traffic captures for the TCP and consistency analysis) and nftables
# (the precopy baseline's packet drops), fakeroot and binutils (jpackage's .deb and jlink's
# --strip-debug in installers/package.sh), python3 (installers/smoke-test.sh reads its PNG),
# poppler-utils (pdftoppm: the PDF report's test renders its pages; DejaVu is the font it embeds) and
# libvirt (domains as a VM source; installers/start-libvirt.sh starts its daemons without systemd).
# Quick no-op when everything is there.
set -euo pipefail
packages=(openjdk-17-jdk-headless qemu-system-x86 qemu-utils busybox-static cpio xz-utils kmod
          iproute2 libgtk-3-0 xvfb xauth fonts-dejavu-core openssh-server sudo tcpdump nftables
          fakeroot binutils python3 poppler-utils libvirt-daemon-system libvirt-clients)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
# The lab's guest kernel comes from apt-get download, which needs apt's package lists.
if [ ${#missing[@]} -eq 0 ]; then
  apt-cache policy linux-image-amd64 2>/dev/null | grep -q "Candidate: [0-9]" || $sudo apt-get update -qq
  exit 0
fi
echo "setup-host: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
