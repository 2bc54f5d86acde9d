#!/usr/bin/env bash
# installers/package.sh [app-image|deb|rpm|all] — jpackage recipes for Linux. Builds into
# installers/target/ (gitignored) and prints each artefact's size and build time.
# The fat jar bundles OpenJFX (classes and Linux natives), so jpackage only needs the jar on an
# --input dir and a trimmed JDK runtime from jlink; no JavaFX SDK or jmods.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
what="${1:-app-image}"
case "$what" in app-image|deb|rpm|all) ;; *) echo "usage: $0 [app-image|deb|rpm|all]" >&2; exit 2;; esac

jdk="${JDK_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
jar="$here/app/target/hotsnap-console.jar"
out="$here/installers/target"
name=HotSnapConsole            # launcher name: bin/HotSnapConsole
pkg=hotsnap-console            # package name, installs to /opt/hotsnap-console
version=0.1.0                  # jpackage wants a plain numeric version (no -SNAPSHOT)

for t in "$jdk/bin/jlink" "$jdk/bin/jpackage"; do
  [ -x "$t" ] || { echo "package: $t missing (needs a full JDK 17: installers/setup-host.sh)" >&2; exit 4; }
done
share="$here/app/target/share"   # completion script and man page, written by the app's build
if [ ! -f "$jar" ] || [ ! -d "$share" ]; then
  echo "package: building $jar first" >&2
  "$here/mvnw" -q -B -DskipTests package >&2
fi

# Modules from `jdeps --print-module-deps` on the fat jar, plus those loaded only by name at
# run time (EC/other crypto for SSH keys, charsets, JNDI/logging pulled by libraries).
modules=java.base,java.management,java.security.jgss,java.sql,jdk.jfr,jdk.unsupported,jdk.unsupported.desktop
modules+=,jdk.crypto.ec,jdk.charsets,java.naming,java.logging
mkdir -p "$out"

took() { echo $(( $(date +%s) - $1 ))s; }
report() { # artefact, start time
  printf 'package: %-55s %6s  built in %s\n' "${1#"$here"/}" "$(du -sh "$1" | cut -f1)" "$(took "$2")"
}

runtime() { # jlink once; both package types reuse it
  [ -d "$out/runtime" ] && return 0
  local t0; t0=$(date +%s)
  # --strip-debug strips native symbols with objcopy (binutils).
  "$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
    --strip-native-commands --output "$out/runtime"
  report "$out/runtime" "$t0"
}

common=(--name "$name" --app-version "$version" --vendor "HotSnap"
        --description "HotSnap Console: the console (no arguments) and the hotsnap command line")

app_image() {
  runtime
  local t0; t0=$(date +%s)
  rm -rf "$out/input" "$out/$name"
  # --input copies the whole dir into lib/app: the jar, and the command line's completion script
  # and man page (share/bash-completion/completions/hotsnap, share/man/man1/hotsnap.1). A share/ at
  # the app-image's top would be dropped from the .deb, which packs only bin/ and lib/.
  mkdir -p "$out/input" && cp "$jar" "$out/input/" && cp -r "$share" "$out/input/"
  "$jdk/bin/jpackage" --type app-image "${common[@]}" --dest "$out" \
    --input "$out/input" --main-jar hotsnap-console.jar --main-class io.hotsnap.app.Main \
    --runtime-image "$out/runtime" --icon "$here/assets/ui/hotsnap.png"
  report "$out/$name" "$t0"
  image_built=1
}

linux_package() { # deb|rpm, from the app-image so the two never differ
  local type=$1 t0 res
  [ -n "${image_built:-}" ] || app_image   # never package an app-image from an earlier build
  t0=$(date +%s)
  # jpackage takes a desktop file named after the launcher from --resource-dir (ours, from
  # assets/) and installs it with xdg-desktop-menu when the package is installed.
  res="$out/resources-$type"
  rm -rf "$res" && mkdir -p "$res"
  cp "$here/assets/desktop/hotsnap-console.desktop" "$res/$name.desktop"
  cp "$here/assets/ui/hotsnap.png" "$res/$name.png"
  if [ "$type" = deb ]; then deb_scripts "$res"; fi
  rm -f "$out"/${pkg}[_-]*."$type"
  # JavaFX loads GTK from natives it unpacks at run time, and PDF reports embed DejaVu Sans:
  # neither shows in the runtime's libraries, so dpkg-shlibdeps/rpm cannot find them.
  local deps="libgtk-3-0, fonts-dejavu-core"
  [ "$type" = rpm ] && deps="gtk3, dejavu-sans-fonts"
  "$jdk/bin/jpackage" --type "$type" "${common[@]}" --dest "$out" --app-image "$out/$name" \
    --linux-package-name "$pkg" --linux-package-deps "$deps" --linux-shortcut --linux-menu-group "System;Monitor" \
    --icon "$here/assets/ui/hotsnap.png" --resource-dir "$res" \
    --linux-app-category utils --linux-deb-maintainer "maintainers@hotsnap.invalid"
  report "$(ls "$out"/${pkg}[_-]*."$type")" "$t0"
}

deb_scripts() { # resource dir: postinst/prerm that link the CLI, its completion and man page (installers/deb/)
  local links="" script text
  for l in "bin/hotsnap bin/$name" "share/bash-completion/completions/hotsnap lib/app/share/bash-completion/completions/hotsnap" \
           "share/man/man1/hotsnap.1 lib/app/share/man/man1/hotsnap.1"; do
    links+="/usr/${l%% *} /opt/$pkg/${l#* }"$'\n'
  done
  for script in postinst prerm; do
    text="$(<"$here/installers/deb/$script")"
    printf '%s\n' "${text//HOTSNAP_LINKS/${links%$'\n'}}" >"$1/$script"
  done
}

deb() {
  for t in dpkg-deb fakeroot; do
    command -v "$t" >/dev/null || { echo "package: deb needs $t (installers/setup-host.sh)" >&2; exit 4; }
  done
  linux_package deb
}

rpm() {
  if ! command -v rpmbuild >/dev/null; then
    # jpackage builds .rpm only through rpmbuild; Debian has it in package `rpm`, but a
    # Debian-built rpm is untested on Fedora/RHEL, so build it there.
    echo "package: rpm skipped: rpmbuild not found (build on Fedora/RHEL: dnf install rpm-build)" >&2
    [ "$what" = all ] && return 0 || exit 3
  fi
  linux_package rpm
}

rm -rf "$out/runtime"   # a fresh runtime each run: the module list may have changed
image_built=
case "$what" in
  app-image) app_image ;;
  deb) deb ;;
  rpm) rpm ;;
  all) app_image; deb; rpm ;;
esac
