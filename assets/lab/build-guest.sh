#!/bin/bash
# Builds the HotSnap lab guest: OUTDIR/vmlinux (ELF, PVH entry, for `qemu -kernel`),
# OUTDIR/initrd.img (gzip cpio newc: busybox + virtio modules + init.sh as /init) and
# OUTDIR/kernel-version (uname -r of the guest kernel); OUTDIR/vmlinuz too when the kernel came as a
# bzImage (UEFI firmware boots its EFI stub, not the PVH entry).
# Usage: build-guest.sh OUTDIR [KERNEL_PATH]   (KERNEL_PATH: bzImage/vmlinuz or ELF vmlinux)
# Everything is built in OUTDIR/.build.* and renamed into place at the end; kernel-version is
# renamed last, so its presence means the build is complete. Failure: one line on stderr, rc!=0.
set -euo pipefail
die() { echo "build-guest: $*" >&2; exit 1; }
trap 'echo "build-guest: failed: $BASH_COMMAND (line $LINENO)" >&2' ERR  # no silent set -e exits

[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: build-guest.sh OUTDIR [KERNEL_PATH]"
OUT=$1 KPATH=${2:-}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
INIT=$HERE/init.sh
# Load order matters (insmod has no dependency resolution); virtio_blk needs only the first two.
MODS="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci failover net_failover virtio_net virtio_blk"

[ -r "$INIT" ] || die "init.sh not found next to build-guest.sh: $INIT"
[ -x /bin/busybox ] && /bin/busybox --list >/dev/null 2>&1 \
  || die "busybox-static not installed: apt-get install busybox-static"
! command -v file >/dev/null || file -L /bin/busybox | grep -q 'statically linked' \
  || die "/bin/busybox is not static: apt-get install busybox-static"
for t in cpio gzip xz; do command -v $t >/dev/null || die "$t not installed: apt-get install $t"; done

mkdir -p "$OUT" 2>/dev/null || die "cannot create $OUT"
W=$(mktemp -d "$OUT/.build.XXXXXX" 2>/dev/null) || die "cannot create a temp dir in $OUT"
trap 'rm -rf "$W"' EXIT

is_elf() { [ "$(head -c4 "$1" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ]; }

# bzImage -> ELF vmlinux: try every xz (then gzip) magic until one decompresses to an ELF.
# xz --single-stream ignores the bytes after the payload and still fails on a truncated one;
# gzip always complains about that trailing data, so its status is not checked. (tail may die
# of SIGPIPE once the decompressor stops reading, hence no pipe: pipefail would see it.)
extract_vmlinux() {
  local off
  for off in $(LC_ALL=C grep -abo $'\xFD7zXZ' "$1" | cut -d: -f1); do
    xz -dc --single-stream <(tail -c +$((off + 1)) "$1") 2>/dev/null >"$2" && is_elf "$2" && return 0
  done
  for off in $(LC_ALL=C grep -abo $'\x1f\x8b\x08' "$1" | cut -d: -f1); do
    gzip -dc <(tail -c +$((off + 1)) "$1") 2>/dev/null >"$2" || true
    is_elf "$2" && return 0
  done
  return 1
}

# apt-get download + extract only the kernel and the modules we need (dpkg -x would write 400 MB).
fetch_deb() { # $1 = package name; extracts into $W/deb
  mkdir -p "$W/deb"
  (cd "$W" && apt-get download "$1" >/dev/null 2>&1) || return 1
  local pats=('./boot/vmlinuz-*' './boot/config-*' './lib/modules/*/modules.builtin') m
  for m in $MODS; do pats+=("*/$m.ko*"); done
  dpkg-deb --fsys-tarfile "$W"/"$1"_*.deb | tar -x -C "$W/deb" --wildcards "${pats[@]}" 2>/dev/null || true
  rm -f "$W"/"$1"_*.deb
  ls "$W"/deb/boot/vmlinuz-* >/dev/null 2>&1
}

# 1. Kernel: argument, else host /boot, else the Debian package behind linux-image-amd64.
KSRC= MDIR=
if [ -n "$KPATH" ]; then
  [ -r "$KPATH" ] || die "no kernel found: $KPATH is not readable"
  KSRC=$KPATH
else
  for k in $(ls -v /boot/vmlinuz-* 2>/dev/null | tac); do [ -r "$k" ] && { KSRC=$k; break; }; done
  if [ -z "$KSRC" ]; then
    command -v apt-cache >/dev/null || die "no kernel found: no /boot/vmlinuz-* and no apt; pass KERNEL_PATH"
    PKG=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-/{print $2; exit}' || true)
    [ -n "$PKG" ] || die "no kernel found: no /boot/vmlinuz-* and apt-cache knows no linux-image-amd64 (apt-get update?)"
    fetch_deb "$PKG" || die "no kernel found: apt-get download $PKG failed (network? apt-get update?)"
    KSRC=$(ls "$W"/deb/boot/vmlinuz-* | head -1 || true)
    MDIR=$(ls -d "$W"/deb/lib/modules/* 2>/dev/null | head -1 || true)
  fi
fi
if is_elf "$KSRC"; then cp "$KSRC" "$W/vmlinux"
else extract_vmlinux "$KSRC" "$W/vmlinux" || die "cannot extract an ELF vmlinux from $KSRC (no complete xz/gzip payload)"
  cp "$KSRC" "$W/vmlinuz"
fi
KVER=$(LC_ALL=C grep -aom1 'Linux version [^ ]*' "$W/vmlinux" | awk '{print $3}' || true)
[ -n "$KVER" ] || die "no kernel found: $KSRC has no 'Linux version' string"

# 2. Modules of the same version: package we fetched, else /lib/modules/VER, else apt package.
if [ -z "$MDIR" ]; then
  if [ -d "/lib/modules/$KVER/kernel" ]; then MDIR=/lib/modules/$KVER
  elif command -v apt-get >/dev/null && fetch_deb "linux-image-$KVER"; then MDIR=$W/deb/lib/modules/$KVER
  fi
fi
R=$W/root
mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,run,lib/modules}
: >"$R/lib/modules/load-order"
if [ -z "$MDIR" ] || [ ! -d "$MDIR" ]; then
  echo "build-guest: warning: no modules for $KVER found; assuming virtio drivers are built in" >&2
else
  for m in $MODS; do
    f=$(find "$MDIR" -name "$m.ko*" -print -quit)
    if [ -z "$f" ]; then
      grep -q "/$m.ko" "$MDIR/modules.builtin" 2>/dev/null || die "module $m for $KVER neither in $MDIR nor built in"
      continue  # built into the kernel
    fi
    case $f in  # busybox insmod wants a plain .ko
      *.ko) cp "$f" "$R/lib/modules/$m.ko" ;;
      *.xz) xz -dc "$f" >"$R/lib/modules/$m.ko" ;;
      *.gz) gzip -dc "$f" >"$R/lib/modules/$m.ko" ;;
      *.zst) command -v zstd >/dev/null || die "zstd not installed (needed for $f): apt-get install zstd"
             zstd -qdc "$f" >"$R/lib/modules/$m.ko" ;;
      *) die "unsupported module file: $f" ;;
    esac
    echo "$m.ko" >>"$R/lib/modules/load-order"
  done
fi

# 3. initramfs: static busybox with all applet symlinks, modules, /init.
cp /bin/busybox "$R/bin/busybox"
for a in $(/bin/busybox --list-full); do [ -e "$R/$a" ] || ln -s /bin/busybox "$R/$a"; done
install -m 0755 "$INIT" "$R/init"
mknod -m 600 "$R/dev/console" c 5 1 2>/dev/null || true  # early console (root only); optional
(cd "$R" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 | gzip -9) >"$W/initrd.img" \
  || die "cpio/gzip of the initramfs failed"
echo "$KVER" >"$W/kernel-version"

# 4. Publish: kernel-version last (completion marker).
rm -f "$OUT/kernel-version" "$OUT/vmlinuz"
mv -f "$W/vmlinux" "$OUT/vmlinux"
[ ! -e "$W/vmlinuz" ] || mv -f "$W/vmlinuz" "$OUT/vmlinuz"
mv -f "$W/initrd.img" "$OUT/initrd.img"
mv -f "$W/kernel-version" "$OUT/kernel-version"
