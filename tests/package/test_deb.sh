#!/usr/bin/env bash
# Packs a build tree with cpack, installs the .deb with dpkg, checks the installed package the
# way a user or a distribution reviewer would, then purges it and checks nothing is left.
#
#   test_deb.sh BUILD_DIR VERSION BUILT_FERRY_CLI BUILT_FERRY [BUILT_FERRY_BROWSER_HOST]
#
# Exit codes: 0 passed, 1 failed, 77 skipped (not root, or no dpkg).
set -euo pipefail
exec </dev/null

BUILD_DIR="$1"
VERSION="$2"
BUILT_CLI="$3"
BUILT_GUI="$4"
BUILT_HOST="${5:-}"
APP_ID=io.github.ferry.Ferry
ICON_SIZES=(16 22 24 32 48 64 128 256)

skip() {
    echo "SKIPPED: $1"
    exit 77
}
failures=0
fail() {
    echo "FAIL: $1" >&2
    failures=$((failures + 1))
}
ok() {
    echo "ok: $1"
}

[ "$(id -u)" -eq 0 ] || skip "installing a package needs root"
command -v dpkg >/dev/null 2>&1 || skip "dpkg is not available"
for tool in cpack dpkg-deb desktop-file-validate appstreamcli groff file readelf flock; do
    command -v "$tool" >/dev/null 2>&1 ||
        { echo "FAIL: $tool is missing (scripts/setup test installs it)" >&2; exit 1; }
done
for f in "$BUILT_CLI" "$BUILT_GUI" "$BUILD_DIR/CPackConfig.cmake"; do
    [ -e "$f" ] || { echo "FAIL: $f does not exist; build the tree first" >&2; exit 1; }
done

# Several build trees on one machine may run this test at the same time; the package is
# installed system-wide, so one run at a time.
lockdir=/run/lock
[ -d "$lockdir" ] || lockdir=/tmp
exec 9>"$lockdir/ferry-package-test.lock"
flock -w 280 9 || { echo "FAIL: another package test held the lock too long" >&2; exit 1; }

work="$(mktemp -d)"
installed_by_us=0

# dpkg does not wait for its lock; apt or a trigger of another installation may hold it briefly.
dpkg_retry() {
    local out rc
    for _ in $(seq 1 60); do
        rc=0
        out="$("$@" 2>&1)" || rc=$?
        if [ "$rc" -ne 0 ] && grep -qi 'lock' <<<"$out"; then
            sleep 2
            continue
        fi
        printf '%s\n' "$out"
        return "$rc"
    done
    printf '%s\n' "$out"
    return 1
}

# Installed, or partly: anything but unknown to dpkg or purged.
package_present() {
    local status
    status="$(dpkg-query -W -f='${Status}' ferry 2>/dev/null || true)"
    [ -n "$status" ] && [ "${status##* }" != not-installed ]
}

cleanup() {
    if [ "$installed_by_us" = 1 ]; then
        dpkg_retry dpkg --purge ferry >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# Anything of Ferry already installed would make the before/after comparison meaningless. A
# package of this very version is a leftover of an interrupted run of this test.
if package_present; then
    if [ "$(dpkg-query -W -f='${Version}' ferry)" = "$VERSION" ]; then
        echo "purging a ferry $VERSION package left over from an earlier run"
        dpkg_retry dpkg --purge ferry >/dev/null
    else
        skip "another ferry package is installed; not replacing it"
    fi
fi
if [ -e /usr/bin/ferry ] || [ -e /usr/bin/ferry-cli ]; then
    skip "/usr/bin/ferry or /usr/bin/ferry-cli exists outside of a package"
fi
list_ferry_files() {
    find /usr/bin /usr/share -iname '*ferry*' 2>/dev/null | sort
}
list_ferry_files >"$work/before.txt"

# --- Pack ----------------------------------------------------------------------------------
start=$SECONDS
if ! cpack --config "$BUILD_DIR/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1; then
    cat "$work/cpack.log" >&2
    echo "FAIL: cpack failed" >&2
    exit 1
fi
arch="$(dpkg --print-architecture)"
deb="$work/out/ferry_${VERSION}_${arch}.deb"
[ -f "$deb" ] || { ls -l "$work/out" >&2; echo "FAIL: $deb was not produced" >&2; exit 1; }
ok "cpack produced $(basename "$deb") in $((SECONDS - start)) s"

field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = ferry ] || fail "Package is '$(field Package)'"
[ "$(field Version)" = "$VERSION" ] || fail "Version is '$(field Version)', expected $VERSION"
[ "$(field Architecture)" = "$arch" ] || fail "Architecture is '$(field Architecture)'"
depends="$(field Depends)"
echo "Depends: $depends"
# One package name per line, without version constraints or alternatives.
tr ',|' '\n\n' <<<"$depends" | sed 's/^ *//; s/[ (].*//' | sed '/^$/d' >"$work/depends.txt"
depends_on() { grep -Fxq -- "$1" "$work/depends.txt"; }
# Libraries come from dpkg-shlibdeps; plugins are loaded at run time and must be listed by hand.
for dep in libqt6core6 libqt6widgets6 libqt6network6 libqt6sql6 libqt6sql6-sqlite qt6-qpa-plugins libqt6svg6; do
    depends_on "$dep" || fail "Depends lacks $dep"
done
# Every shared library the binaries need comes from a package the .deb depends on (QuaZip,
# QtKeychain and zlib included, once linked).
for bin in "$BUILT_CLI" "$BUILT_GUI"; do
    for soname in $(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
        case "$soname" in ld-linux*) continue ;; esac
        path="$(ldd "$bin" | awk -v s="$soname" '$1 == s { print $3 }')"
        [ -n "$path" ] || { fail "$soname (needed by $(basename "$bin")) is not found"; continue; }
        owner="$(dpkg -S "$path" 2>/dev/null || dpkg -S "$(realpath "$path")" 2>/dev/null || true)"
        owner="${owner%%:*}"
        if [ -n "$owner" ] && ! depends_on "$owner"; then
            fail "Depends lacks $owner, which provides $soname"
        fi
    done
done
# The http/https handlers are offered in the desktop file, never made the default by a script.
dpkg-deb --ctrl-tarfile "$deb" | tar -t >"$work/control.txt"
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles >"$work/conffiles.txt" 2>/dev/null || true
if grep -Eq '(postinst|preinst|prerm|postrm)$' "$work/control.txt"; then
    fail "the package has maintainer scripts: $(tr '\n' ' ' <"$work/control.txt")"
fi

# --- Install -------------------------------------------------------------------------------
installed_by_us=1
if ! dpkg_retry dpkg -i "$deb" >"$work/dpkg.log"; then
    echo "dpkg -i could not configure the package; installing its dependencies"
    cat "$work/dpkg.log"
    DEBIAN_FRONTEND=noninteractive apt-get install -f -y -qq --no-install-recommends \
        -o DPkg::Lock::Timeout=120 >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; }
fi
[ "$(dpkg-query -W -f='${Status}' ferry 2>/dev/null)" = "install ok installed" ] ||
    { echo "FAIL: the package did not install" >&2; exit 1; }
ok "installed with dpkg -i"
dpkg -L ferry | sort >"$work/files.txt"

# The binaries on PATH are the ones this tree built (stripped copies keep the build id).
build_id() { readelf -n "$1" | sed -n 's/.*Build ID: *//p'; }
for pair in "/usr/bin/ferry-cli:$BUILT_CLI" "/usr/bin/ferry:$BUILT_GUI"; do
    inst="${pair%%:*}"
    built="${pair#*:}"
    [ -x "$inst" ] || { fail "$inst is not installed"; continue; }
    [ -n "$(build_id "$built")" ] && [ "$(build_id "$inst")" = "$(build_id "$built")" ] ||
        fail "$inst is not the binary of this build tree ($built)"
done

# --- Versions: both binaries print the project version, the window without any display -------
cli_version="$(HOME="$work" /usr/bin/ferry-cli --version 2>&1)" || fail "ferry-cli --version exited $?"
[ "$cli_version" = "ferry-cli $VERSION" ] || fail "ferry-cli --version printed '$cli_version'"
gui_version="$(HOME="$work" QT_QPA_PLATFORM=offscreen timeout 20 /usr/bin/ferry --version 2>&1)" ||
    fail "ferry --version exited $?"
[ "$gui_version" = "ferry $VERSION" ] || fail "ferry --version printed '$gui_version'"
headless="$(env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM HOME="$work" timeout 20 /usr/bin/ferry --version 2>&1)" ||
    fail "ferry --version without a display exited $?"
[ "$headless" = "ferry $VERSION" ] || fail "ferry --version without a display printed '$headless'"
ok "versions: '$cli_version', '$gui_version'"

# --- Desktop entry ---------------------------------------------------------------------------
desktop=/usr/share/applications/$APP_ID.desktop
if [ -f "$desktop" ]; then
    if ! desktop-file-validate "$desktop" >"$work/desktop.log" 2>&1 || grep -qi 'error' "$work/desktop.log"; then
        fail "desktop-file-validate: $(cat "$work/desktop.log")"
    fi
    grep -qx 'Exec=ferry %U' "$desktop" || fail "desktop file: Exec is not 'ferry %U'"
    grep -Eq '^Categories=(.*;)?Network;(.*;)?FileTransfer;' "$desktop" || fail "desktop file: Categories lack Network;FileTransfer;"
    mime="$(sed -n 's/^MimeType=//p' "$desktop")"
    for scheme in x-scheme-handler/http x-scheme-handler/https; do
        grep -q "\(^\|;\)$scheme;" <<<"$mime" || fail "desktop file: MimeType lacks $scheme"
    done
    icon="$(sed -n 's/^Icon=//p' "$desktop")"
    [ "$icon" = "$APP_ID" ] || fail "desktop file: Icon is '$icon'"
    ok "desktop file valid"
else
    fail "$desktop is not installed"
fi

# --- AppStream -------------------------------------------------------------------------------
metainfo=/usr/share/metainfo/$APP_ID.metainfo.xml
if [ -f "$metainfo" ]; then
    appstreamcli validate --no-net --no-color "$metainfo" >"$work/as.log" 2>&1 ||
        fail "appstreamcli validate: $(cat "$work/as.log")"
    grep -q "<release version=\"$VERSION\"" "$metainfo" || fail "metainfo: no release entry for $VERSION"
    # The metainfo, desktop file and icon must agree with each other as installed.
    mkdir -p "$work/root"
    dpkg-deb -x "$deb" "$work/root"
    appstreamcli validate-tree --no-net --no-color "$work/root" >"$work/astree.log" 2>&1 ||
        fail "appstreamcli validate-tree: $(cat "$work/astree.log")"
    ok "metainfo valid"
else
    fail "$metainfo is not installed"
fi

# --- Icons -----------------------------------------------------------------------------------
hicolor=/usr/share/icons/hicolor
for size in "${ICON_SIZES[@]}"; do
    png="$hicolor/${size}x${size}/apps/$APP_ID.png"
    if [ -f "$png" ]; then
        file -b "$png" | grep -q "^PNG image data, $size x $size," || fail "$png is not a ${size}x${size} PNG: $(file -b "$png")"
    else
        fail "$png is not installed"
    fi
done
svg="$hicolor/scalable/apps/$APP_ID.svg"
[ -f "$svg" ] && grep -q '<svg' "$svg" || fail "$svg is not installed"
ok "icons in $hicolor"

# --- Man pages -------------------------------------------------------------------------------
for page in ferry-cli ferry; do
    man="/usr/share/man/man1/$page.1.gz"
    if [ ! -f "$man" ]; then
        fail "$man is not installed"
        continue
    fi
    zcat "$man" | LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z >"$work/groff.log" 2>&1 || true
    if [ -s "$work/groff.log" ]; then fail "groff warnings in $page.1: $(cat "$work/groff.log")"; fi
    zcat "$man" | LC_ALL=C.UTF-8 MANWIDTH=100 groff -man -Tutf8 -P-c -P-b -P-u 2>/dev/null >"$work/$page.txt"
    grep -q '^NAME' "$work/$page.txt" || fail "$page.1 renders without a NAME section"
done
# Every option ferry-cli --help prints is described in its man page.
if [ -f "$work/ferry-cli.txt" ]; then
    HOME="$work" /usr/bin/ferry-cli --help 2>&1 | grep -o -- '--[a-z][a-z-]*' | sort -u >"$work/options.txt" || true
    [ -s "$work/options.txt" ] || fail "ferry-cli --help lists no options"
    while read -r option; do
        grep -q -- "$option" "$work/ferry-cli.txt" || fail "ferry-cli.1 does not describe $option"
    done <"$work/options.txt"
    for cmd in get list resume pause remove 's3 ls' 's3 get' 's3 put' 's3 presign' 's3 zip' 'zip ls' 'zip get'; do
        grep -q "ferry-cli.* $cmd\b\|^ *$cmd\b" "$work/ferry-cli.txt" || fail "ferry-cli.1 does not describe '$cmd'"
    done
fi
ok "man pages well-formed"

# --- Browser host and its manifests ---------------------------------------------------------
host=/usr/bin/ferry-browser-host
if [ -x "$host" ]; then
    if [ -n "$BUILT_HOST" ]; then
        [ -n "$(build_id "$BUILT_HOST")" ] && [ "$(build_id "$host")" = "$(build_id "$BUILT_HOST")" ] ||
            fail "$host is not the binary of this build tree ($BUILT_HOST)"
    fi
    host_version="$(HOME="$work" "$host" --version 2>&1)" || fail "ferry-browser-host --version exited $?"
    [ "$host_version" = "ferry-browser-host $VERSION" ] || fail "ferry-browser-host --version printed '$host_version'"
    # One status question in the browsers' framing: a 4-byte length in this machine's byte
    # order, then the JSON.
    hello='{"type":"hello","browser":"chromium","extensionVersion":"test"}'
    length="$(printf '\\x%02x' $((${#hello} % 256)))"
    if [ "$(printf 'ab' | od -An -tx2 | tr -d ' ')" = 6261 ]; then
        length="$length\\x00\\x00\\x00"
    else
        length="\\x00\\x00\\x00$length"
    fi
    answer="$( { printf "$length"; printf '%s' "$hello"; } |
        HOME="$work" "$host" --state-dir "$work/state" --no-start | tail -c +5)" || fail "ferry-browser-host answered hello with exit $?"
    [ "$answer" = "{\"ferryVersion\":\"$VERSION\",\"ok\":true,\"running\":false}" ] ||
        fail "ferry-browser-host answered hello with '$answer'"
else
    fail "$host is not installed"
fi
manifest_name=io.github.ferry.host.json
for manifest in /etc/chromium/native-messaging-hosts/$manifest_name \
    /etc/opt/chrome/native-messaging-hosts/$manifest_name \
    /usr/lib/mozilla/native-messaging-hosts/$manifest_name; do
    if ! grep -Fxq "$manifest" "$work/files.txt"; then
        fail "$manifest is not in the package"
        continue
    fi
    grep -q '"path": "/usr/bin/ferry-browser-host"' "$manifest" || fail "$manifest does not name /usr/bin/ferry-browser-host"
    grep -q '"name": "io.github.ferry.host"' "$manifest" || fail "$manifest does not name io.github.ferry.host"
    case "$manifest" in
    */mozilla/*) grep -q '"ferry@ferry.github.io"' "$manifest" || fail "$manifest does not allow the Firefox add-on" ;;
    *) grep -q '"chrome-extension://cihnbmkedaphfpommogcckbnlfknfmal/"' "$manifest" || fail "$manifest does not allow the extension" ;;
    esac
done
for conffile in /etc/chromium/native-messaging-hosts/$manifest_name /etc/opt/chrome/native-messaging-hosts/$manifest_name; do
    grep -Fxq "$conffile" "$work/conffiles.txt" || fail "$conffile is not a conffile"
done
ok "browser host and its manifests"

# --- Purge -----------------------------------------------------------------------------------
dpkg_retry dpkg --purge ferry >"$work/purge.log" || { cat "$work/purge.log" >&2; fail "dpkg --purge failed"; }
installed_by_us=0
if package_present; then fail "ferry is still installed after purge"; fi
while read -r path; do
    if [ -f "$path" ]; then fail "$path is left after purge"; fi
done <"$work/files.txt"
list_ferry_files >"$work/after.txt"
if ! cmp -s "$work/before.txt" "$work/after.txt"; then
    fail "files of ferry are left in /usr/bin or /usr/share: $(comm -13 "$work/before.txt" "$work/after.txt" | tr '\n' ' ')"
fi
ok "purged; nothing left in /usr/bin or /usr/share"

if [ "$failures" -gt 0 ]; then
    echo "$failures check(s) failed" >&2
    exit 1
fi
echo "package test passed"
