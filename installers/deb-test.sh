#!/usr/bin/env bash
# installers/deb-test.sh [DEB] — installs the .deb on this machine (root), checks that `hotsnap` is
# on the PATH and runs, that man and bash find its man page and completion, then removes it and
# checks the links are gone, except one an administrator re-pointed. Not in .ci/run: building the
# .deb takes minutes (installers/README.md). Default: installers/target/hotsnap-console_*.deb.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
deb="${1:-$(ls "$here"/installers/target/hotsnap-console_*.deb 2>/dev/null | head -1)}"
[ -f "$deb" ] || { echo "deb-test: no .deb (run installers/package.sh deb)" >&2; exit 4; }
[ "$(id -u)" = 0 ] || { echo "deb-test: needs root (dpkg -i)" >&2; exit 4; }
bin=/usr/bin/hotsnap
completion=/usr/share/bash-completion/completions/hotsnap
man=/usr/share/man/man1/hotsnap.1
# Never replace an installation or a file that is not this test's.
if dpkg-query -W -f '${Status}' hotsnap-console 2>/dev/null | grep -q installed; then
  echo "deb-test: hotsnap-console is installed already: remove it first (dpkg -r hotsnap-console)" >&2; exit 4
fi
for f in "$bin" "$completion" "$man"; do
  if [ -e "$f" ] || [ -L "$f" ]; then echo "deb-test: $f exists already: not ours to replace" >&2; exit 4; fi
done
fail() { echo "deb-test: $*" >&2; exit 1; }
installed=
cleanup() {
  if [ -n "$installed" ]; then dpkg -r hotsnap-console >/dev/null 2>&1 || true; fi
  if [ "$(readlink "$completion" 2>/dev/null)" = /dev/null ]; then rm -f "$completion"; fi
}
trap cleanup EXIT

echo "deb-test: $(basename "$deb"), $(du -h "$deb" | cut -f1)"
dpkg -i "$deb" >/dev/null
installed=1
[ "$(command -v hotsnap)" = "$bin" ] || fail "hotsnap is not on the PATH as $bin"
version="$(hotsnap --version)"
[[ "$version" =~ ^hotsnap\ [0-9] ]] || fail "'hotsnap --version' said: $version"
[ -s "$completion" ] || fail "no completion script at $completion"
bash -c "source $completion && complete -p hotsnap" >/dev/null || fail "the completion script registers nothing for hotsnap"
# man-db names the page by its real path: the link's target.
page="$(man -w hotsnap 2>/dev/null || true)"
[ "$page" = "$(readlink -f "$man")" ] || { [ -s "$man" ] && ! command -v man >/dev/null; } || fail "man -w hotsnap: '$page', not $man"
echo "deb-test: man -w hotsnap: $page"
for f in "$bin" "$completion" "$man"; do echo "deb-test: installed $f -> $(readlink "$f")"; done
echo "deb-test: $version"

# An administrator's own completion in our place: dpkg -r must leave it.
ln -sfn /dev/null "$completion"
dpkg -r hotsnap-console >/dev/null
installed=
for f in "$bin" "$man"; do
  if [ -e "$f" ] || [ -L "$f" ]; then fail "$f is still there after dpkg -r"; fi
done
[ "$(readlink "$completion")" = /dev/null ] || fail "dpkg -r removed $completion, which was no longer ours"
hash -r
! command -v hotsnap >/dev/null || fail "hotsnap is still on the PATH after dpkg -r"
[ ! -e /opt/hotsnap-console ] || fail "/opt/hotsnap-console is still there after dpkg -r"
echo "deb-test: removed: $bin and $man gone, the re-pointed $completion left as it was"
dpkg -P hotsnap-console >/dev/null   # nothing of the test left in dpkg's database
