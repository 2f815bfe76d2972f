#!/bin/sh
# Saves screenshots of the desktop application (exception dialog, main window, diff preview,
# apply result, history) on the Demo host into docs/screenshots/, in the default and a dark palette, and at
# 200 % scaling (QT_SCALE_FACTOR=2: *-200pct.png); in the default look also the main window at
# 1366×768 and 1920×1080 (main-window-1366x768.png, main-window-1920x1080.png) and the host dialog.
# Runs the app under Xvfb with a throw-away data and settings folder.
# Usage: tests/gui/screenshots.sh [BUILD_DIR]     (needs: xvfb, xauth)
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build}
out=$top/docs/screenshots
app=$build/bin/sendmail-tls-gui
[ -x "$app" ] || { echo "no $app: build first" >&2; exit 1; }
command -v xvfb-run >/dev/null || { echo "xvfb-run missing: apt-get install xvfb xauth" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$out"
for look in default dark scaled; do
    rm -rf "$tmp/data" "$tmp/config"
    set -- --screenshot "$out"
    [ "$look" = dark ] && set -- "$@" --dark
    scale=1 screen=1920x1080x24
    [ "$look" = scaled ] && scale=2 screen=3000x2100x24
    QT_SCALE_FACTOR=$scale XDG_DATA_HOME=$tmp/data XDG_CONFIG_HOME=$tmp/config XDG_RUNTIME_DIR=$tmp \
        xvfb-run -a -s "-screen 0 $screen" "$app" "$@"
done
ls -l "$out"
