#!/usr/bin/env bash
# installers/smoke-test.sh [APP_IMAGE_DIR] — checks that a jpackage app-image really runs:
# the launcher in CLI mode prints the command list, and with no arguments (under Xvfb) the console
# lays out and saves a screenshot that is not blank. Default dir: installers/target/HotSnapConsole.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
app="${1:-$here/installers/target/HotSnapConsole}"
launcher="$app/bin/HotSnapConsole"
[ -x "$launcher" ] || { echo "smoke-test: no launcher at $launcher (run installers/package.sh app-image)" >&2; exit 4; }
command -v xvfb-run >/dev/null || { echo "smoke-test: needs xvfb-run (installers/setup-host.sh)" >&2; exit 4; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# CLI mode: no display needed, must list the commands and say its version.
if ! timeout 60 "$launcher" help >"$tmp/help.txt" 2>&1 || ! grep -q '^Usage: hotsnap' "$tmp/help.txt"; then
  echo "smoke-test: '$launcher help' did not print the command list:" >&2; head -20 "$tmp/help.txt" >&2; exit 1
fi
if ! timeout 60 "$launcher" --version 2>&1 | grep -q '^hotsnap [0-9]'; then
  echo "smoke-test: '$launcher --version' did not print the version" >&2; exit 1
fi
for f in share/bash-completion/completions/hotsnap share/man/man1/hotsnap.1; do
  [ -s "$app/lib/app/$f" ] || { echo "smoke-test: the app-image lacks lib/app/$f" >&2; exit 1; }
done
echo "smoke-test: CLI ok ($(grep -c '^  [a-z]' "$tmp/help.txt") commands listed, completion and man page present)"

# GUI mode: the launcher has no option passthrough, so the JVM takes the screenshot property
# from JAVA_TOOL_OPTIONS; the console saves the PNG after its first layout and exits 0.
png="$tmp/console.png"
if ! JAVA_TOOL_OPTIONS="-Dhotsnap.screenshot=$png" timeout 120 \
     xvfb-run -a -s "-screen 0 1280x1024x24" "$launcher" >"$tmp/gui.log" 2>&1; then
  echo "smoke-test: console failed under Xvfb:" >&2; tail -20 "$tmp/gui.log" >&2; exit 1
fi
[ -s "$png" ] || { echo "smoke-test: console exited without writing $png" >&2; exit 1; }

# Not blank: decode the PNG (stdlib only) and count distinct colours; an empty or unpainted
# window has one or two.
python3 - "$png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, hdr = 8, b"", None
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR": hdr = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT": idat += body
    pos += 12 + n
w, h, depth, ctype, _, _, interlace = hdr
bpp = {2: 3, 6: 4}.get(ctype)
if depth != 8 or bpp is None or interlace:
    sys.exit(f"smoke-test: unexpected PNG format (depth {depth}, colour type {ctype})")
raw, stride, prev, colours = zlib.decompress(idat), w * bpp, bytearray(w * bpp), set()
for y in range(h):
    f, row = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = row[i - bpp] if i >= bpp else 0
        b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
        if f == 1: row[i] = (row[i] + a) & 255
        elif f == 2: row[i] = (row[i] + b) & 255
        elif f == 3: row[i] = (row[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    if y % 4 == 0:
        colours.update(bytes(row[i:i + bpp]) for i in range(0, stride, bpp * 2))
    prev = row
if len(colours) < 16:
    sys.exit(f"smoke-test: screenshot {w}x{h} looks blank ({len(colours)} colours)")
print(f"smoke-test: GUI ok (screenshot {w}x{h}, {len(colours)} colours)")
PY
