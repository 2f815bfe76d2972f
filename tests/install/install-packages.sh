#!/bin/sh
# Installs the Debian packages for real and takes them out again, without touching this machine:
# dpkg -i runs in a chroot into an overlay of / (upper layer on a tmpfs) in a private mount
# namespace, so everything dpkg, its triggers and the programs write lands in the upper layer,
# which vanishes with the namespace. That layer is also the record of what the packages left
# behind: after dpkg --purge, any path in it that / does not have is a leftover.
#
#   install-packages.sh PACKAGE_DIR VERSION SOURCE_DIR APP_ID BUILD_DIR
#
# A shell script rather than a Qt Test: every step is dpkg, mount, chroot or a validator, and
# the re-exec into `unshare -m` needs a program of its own. Exit 77 (skipped) when not root.
set -eu

if [ "${1:-}" = "--inside" ]; then
    shift
    inside=1
else
    inside=0
fi
pkgdir=$1 version=$2 srcdir=$3 appid=$4 builddir=$5
here=$(cd "$(dirname "$0")" && pwd)
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "PASS: $*"; }

if [ "$(id -u)" -ne 0 ]; then
    echo "SKIP: installing packages needs root (dpkg -i into an overlay of / in a private mount namespace)"
    exit 77
fi

cli_deb=$(ls "$pkgdir"/sendmail-tls_"$version"_*.deb)
gui_deb=$(ls "$pkgdir"/sendmail-tls-gui_"$version"_*.deb)

# ---------------------------------------------------------------------------------------------
# Inside the private mount namespace: the overlay, the chroot, install, run, purge, leftovers.
if [ "$inside" -eq 1 ]; then
    sandbox=$6
    mount -t tmpfs -o mode=0700 sandbox "$sandbox"
    mkdir "$sandbox/upper" "$sandbox/work" "$sandbox/root"
    mount -t overlay overlay -o "lowerdir=/,upperdir=$sandbox/upper,workdir=$sandbox/work" "$sandbox/root"
    root=$sandbox/root
    mount -t proc proc "$root/proc"
    mount --rbind /dev "$root/dev"
    mount --make-rslave "$root/dev"
    mount -t tmpfs tmpfs "$root/tmp"
    mount -t tmpfs tmpfs "$root/run"
    mkdir "$root/tmp/debs" "$root/tmp/home"
    cp "$cli_deb" "$gui_deb" "$root/tmp/debs/"
    cp -r "$srcdir/resources/demo" "$root/tmp/demo"
    cp "$here/in-root.sh" "$root/tmp/in-root.sh"

    if ! chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp/home LANG=C.UTF-8 \
            DEBIAN_FRONTEND=noninteractive sh /tmp/in-root.sh "$version" "$appid" \
            "/tmp/debs/$(basename "$cli_deb")" "/tmp/debs/$(basename "$gui_deb")"; then
        fail "steps in the installed root (above)"
    fi

    # What install + purge left in the upper layer. dpkg's own records and logs, caches that
    # triggers rebuild, and the folders the test itself mounted over are not the packages'.
    leftovers=0
    modified=""
    cd "$sandbox/upper"
    for p in $(find . -mindepth 1 \( -path ./var/lib/dpkg -o -path ./var/log -o -path ./var/cache \
                  -o -path ./tmp -o -path ./run -o -path ./proc -o -path ./dev \) -prune -o -print | sort); do
        rel=${p#.}
        if [ -c "$p" ] && [ "$(stat -c %t:%T "$p")" = "0:0" ]; then
            fail "the packages removed a file of the system: $rel"
            leftovers=$((leftovers + 1))
        elif [ ! -e "$rel" ] && [ ! -L "$rel" ]; then
            fail "left behind after dpkg --purge: $rel"
            leftovers=$((leftovers + 1))
        elif [ -f "$p" ]; then
            modified="$modified $rel"
        fi
    done
    cd /
    [ "$leftovers" -eq 0 ] && pass "dpkg --purge left nothing behind (upper layer compared with /)"
    [ -n "$modified" ] && echo "note: files of the system rewritten by triggers (same paths, kept):$modified"
    [ "$failures" -eq 0 ]
    exit
fi

# ---------------------------------------------------------------------------------------------
# Outside: the packages as files (no install needed), then the sandboxed install.
for tool in unshare chroot dpkg-deb lintian desktop-file-validate appstreamcli file; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool is missing (installer/setup.sh deps installs it)" >&2; exit 1; }
done
echo "packages: $cli_deb $gui_deb"

# The split: the CLI package must not pull in Qt Gui/Widgets or X, for servers.
cli_depends=$(dpkg-deb -f "$cli_deb" Depends)
gui_depends=$(dpkg-deb -f "$gui_deb" Depends)
echo "sendmail-tls Depends: $cli_depends"
echo "sendmail-tls-gui Depends: $gui_depends"
case "$cli_depends" in
*libqt6gui*|*libqt6widgets*|*libx11*|*libgl*) fail "sendmail-tls depends on a GUI library: $cli_depends" ;;
*libqt6core6*) pass "sendmail-tls depends on Qt Core, not on Qt Gui/Widgets" ;;
*) fail "sendmail-tls has no shlibdeps dependencies: $cli_depends" ;;
esac
case "$gui_depends" in
*"sendmail-tls (= $version)"*) pass "sendmail-tls-gui depends on sendmail-tls (= $version)" ;;
*) fail "sendmail-tls-gui does not depend on sendmail-tls (= $version)" ;;
esac

work=$(mktemp -d /tmp/smtls-install-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir "$work/cli" "$work/gui" "$work/both" "$work/sandbox"
dpkg-deb -x "$cli_deb" "$work/cli"
dpkg-deb -x "$gui_deb" "$work/gui"
dpkg-deb -x "$cli_deb" "$work/both"
dpkg-deb -x "$gui_deb" "$work/both"

# Files we own, each in its package; the other helpers' files are checked generically below.
expect() { # package-dir path...
    d=$1; shift
    for f in "$@"; do
        if [ -e "$d/$f" ]; then pass "$(basename "$d") package has /$f"; else fail "$(basename "$d") package lacks /$f"; fi
    done
}
expect "$work/cli" usr/bin/sendmail-tls usr/lib/systemd/system/sendmail-tls-expire.service \
    usr/lib/systemd/system/sendmail-tls-expire.timer usr/share/doc/sendmail-tls/copyright \
    usr/share/doc/sendmail-tls/changelog.gz
expect "$work/gui" usr/bin/sendmail-tls-gui usr/share/applications/sendmail-tls-gui.desktop \
    "usr/share/metainfo/$appid.metainfo.xml" usr/share/icons/hicolor/scalable/apps/sendmail-tls-gui.svg \
    usr/share/doc/sendmail-tls-gui/copyright usr/share/doc/sendmail-tls-gui/changelog.gz
for size in 16 22 24 32 48 64 128 256; do
    png=$work/gui/usr/share/icons/hicolor/${size}x${size}/apps/sendmail-tls-gui.png
    if file "$png" | grep -q "PNG image data, $size x $size,"; then
        pass "icon ${size}x${size}"
    else
        fail "icon ${size}x${size}: $(file "$png")"
    fi
done
# Generic: everything under /usr (or /etc), nothing in /usr/local, binaries stripped.
for d in cli gui; do
    outside=$(cd "$work/$d" && find . -mindepth 1 -maxdepth 1 ! -name usr ! -name etc)
    [ -z "$outside" ] || fail "$d package installs outside /usr and /etc: $outside"
    [ ! -e "$work/$d/usr/local" ] || fail "$d package installs into /usr/local"
    find "$work/$d" -type f -exec file {} + | grep ELF > "$work/$d.elf" || true
    if grep -q -e "not stripped" -e "with debug_info" "$work/$d.elf"; then
        fail "$d package has unstripped binaries: $(grep -e 'not stripped' -e debug_info "$work/$d.elf")"
    else
        pass "$d package: $(wc -l < "$work/$d.elf") ELF files, all stripped"
    fi
done

# Every file the build installs is in one of the packages: an install() rule without
# COMPONENT cli or gui lands in CPack's "Unspecified" component, which is packaged nowhere.
DESTDIR="$work/all" cmake --install "$builddir" --prefix /usr > /dev/null
(cd "$work/all" && find . ! -type d | sort) > "$work/all.files"
(cd "$work/both" && find . ! -type d | sort) > "$work/both.files"
unpackaged=$(comm -23 "$work/all.files" "$work/both.files")
if [ -n "$unpackaged" ]; then
    fail "installed by the build but in neither package (install() without COMPONENT?): $unpackaged"
else
    pass "all $(wc -l < "$work/all.files") installed files are packaged"
fi

# AppStream across both packages: the launchable desktop id exists, the icon is found.
if appstreamcli validate-tree --no-net "$work/both"; then pass "appstreamcli validate-tree"; else fail "appstreamcli validate-tree"; fi

# lintian: no errors; warnings only the ones kept (tests/install/lintian-kept, README says why).
lintian --tag-display-limit 0 "$cli_deb" "$gui_deb" > "$work/lintian.out" 2>&1 || true
cat "$work/lintian.out"
if grep -q '^E: ' "$work/lintian.out"; then fail "lintian reports errors"; fi
kept=$(grep -v -e '^#' -e '^$' "$here/lintian-kept" | tr '\n' ' ')
grep '^W: ' "$work/lintian.out" | while read -r _ _ tag _; do
    case " $kept " in *" $tag "*) ;; *) echo "$tag" ;; esac
done > "$work/lintian.new"
if [ -s "$work/lintian.new" ]; then
    fail "lintian warnings not in tests/install/lintian-kept: $(tr '\n' ' ' < "$work/lintian.new")"
else
    pass "lintian: no errors, no warnings but the kept ones"
fi

# The install itself, in a private mount namespace that dies with this step.
if unshare -m --propagation private "$0" --inside "$pkgdir" "$version" "$srcdir" "$appid" "$builddir" "$work/sandbox"; then
    pass "install, run and purge in an overlay of /"
else
    fail "install, run and purge in an overlay of /"
fi

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed" >&2
    exit 1
fi
echo "all checks passed"
