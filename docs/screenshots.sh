#!/usr/bin/env bash
# Saves the console's screenshots to docs/images/ (1280x800 main window, the snapshot dialog, the
# restore wizard's pages restore-*.png):
# runs the console's lab test (ConsoleLabIT: start the lab from the window, snapshot, catalog, restore) on an
# Xvfb display with JavaFX's real GTK backend, not headless Monocle, so the PNGs show what an
# administrator sees. Needs root (the lab boots QEMU guests) and xvfb (installers/setup-host.sh).
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
out="$here/docs/images"
mkdir -p "$out"
cd "$here"
xvfb-run -a -s "-screen 0 1600x1200x24" ./mvnw -B -q -pl app -am verify \
  -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=ConsoleLabIT -Dfailsafe.failIfNoSpecifiedTests=false \
  "-Dfx.argLine=-Dtestfx.robot=glass -Dprism.order=sw -Dhotsnap.screenshots=$out"
ls -l "$out"
