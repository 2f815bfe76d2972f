#!/bin/sh
# Runs inside the throw-away root of install-packages.sh (a chroot into an overlay of /):
# installs the CLI package alone and uses it, then the GUI package, validates what got
# installed, and purges both. Nothing here can reach the real system's files.
#   in-root.sh VERSION APP_ID CLI_DEB GUI_DEB
set -u
version=$1 appid=$2 cli_deb=$3 gui_deb=$4
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "PASS: $*"; }

for p in sendmail-tls sendmail-tls-gui; do
    if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        echo "FAIL: $p is installed on this machine already; the leftover check would be meaningless" >&2
        exit 1
    fi
done

# A slim Debian image tells dpkg not to unpack documentation (path-exclude in
# /etc/dpkg/dpkg.cfg.d); the test is about the packages, so it unpacks everything they hold.
dpkg_i() { dpkg --path-include='/*' -i "$@"; }

# The CLI alone, as on a server.
if dpkg_i "$cli_deb"; then pass "dpkg -i $(basename "$cli_deb")"; else fail "dpkg -i $cli_deb"; exit 1; fi
got=$(sendmail-tls --version)
if [ "$got" = "sendmail-tls $version" ]; then pass "sendmail-tls --version: $got"; else fail "sendmail-tls --version says '$got', the project is $version"; fi
if [ "$(command -v sendmail-tls)" = /usr/bin/sendmail-tls ]; then pass "sendmail-tls is /usr/bin/sendmail-tls"; else fail "sendmail-tls found at $(command -v sendmail-tls)"; fi
if sendmail-tls --root /tmp/demo status > /tmp/status.out 2>&1 && grep -q "Outbound STARTTLS" /tmp/status.out; then
    pass "sendmail-tls --root <demo> status"
else
    fail "sendmail-tls --root <demo> status: $(cat /tmp/status.out)"
fi
# The service names the installed program.
exec_start=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' /usr/lib/systemd/system/sendmail-tls-expire.service)
if [ "$exec_start" = /usr/bin/sendmail-tls ]; then pass "the expire service runs $exec_start"; else fail "the expire service runs '$exec_start'"; fi

# The GUI package, offscreen for a few seconds: still running means it started and stayed up.
if dpkg_i "$gui_deb"; then pass "dpkg -i $(basename "$gui_deb")"; else fail "dpkg -i $gui_deb"; exit 1; fi
QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=/tmp/home sendmail-tls-gui > /tmp/gui.out 2>&1 &
gui=$!
sleep 4
if kill -0 "$gui" 2>/dev/null; then
    pass "sendmail-tls-gui still running after 4 s offscreen"
    kill "$gui"
else
    wait "$gui"
    fail "sendmail-tls-gui exited within 4 s (status $?): $(cat /tmp/gui.out)"
fi
wait "$gui" 2>/dev/null

desktop=/usr/share/applications/sendmail-tls-gui.desktop
metainfo=/usr/share/metainfo/$appid.metainfo.xml
if desktop-file-validate "$desktop"; then pass "desktop-file-validate $desktop"; else fail "desktop-file-validate $desktop"; fi
if appstreamcli validate --no-net "$metainfo"; then pass "appstreamcli validate --no-net $metainfo"; else fail "appstreamcli validate $metainfo"; fi
if grep -q "<release version=\"$version\"" "$metainfo"; then pass "metainfo has the release $version"; else fail "metainfo lacks the release $version"; fi
icon=$(sed -n 's/^Icon=//p' "$desktop")
if [ -e "/usr/share/icons/hicolor/scalable/apps/$icon.svg" ]; then pass "the desktop file's icon $icon is installed"; else fail "icon $icon not installed"; fi

# Every file the packages list is there; remember them for after the purge.
dpkg -L sendmail-tls sendmail-tls-gui | sort -u > /tmp/files.all
: > /tmp/files
while read -r f; do [ -z "$f" ] || [ -d "$f" ] || echo "$f" >> /tmp/files; done < /tmp/files.all
missing=0
while read -r f; do [ -e "$f" ] || { fail "listed by dpkg -L but missing: $f"; missing=1; }; done < /tmp/files
[ "$missing" -eq 0 ] && pass "all $(wc -l < /tmp/files) files of both packages are installed"

# Remove, then purge: no file, no dpkg record.
if dpkg -r sendmail-tls-gui sendmail-tls; then pass "dpkg -r"; else fail "dpkg -r"; fi
if dpkg --purge sendmail-tls-gui sendmail-tls; then pass "dpkg --purge"; else fail "dpkg --purge"; fi
left=0
while read -r f; do [ ! -e "$f" ] || { fail "still there after dpkg --purge: $f"; left=1; }; done < /tmp/files
[ "$left" -eq 0 ] && pass "no file of the packages is left"
if ls /var/lib/dpkg/info/sendmail-tls* >/dev/null 2>&1; then fail "dpkg still has records: $(ls /var/lib/dpkg/info/sendmail-tls*)"; fi
[ "$failures" -eq 0 ]
