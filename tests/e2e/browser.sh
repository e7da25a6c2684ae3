#!/usr/bin/env bash
# End-to-end test of browser integration: Debian's Chromium and Firefox ESR, each with Ferry's
# extension loaded from the build, Ferry's native-messaging helper registered in the test's own
# profiles, a running Ferry window, and a test site on 127.0.0.1 (tests/e2e/browser/server.mjs).
# Chromium (driven by puppeteer-core over the DevTools protocol):
#   1 a plain link, Ferry not running → the helper starts Ferry, which downloads it byte-exact;
#     the browser's list stays empty
#   2 a link that needs the HttpOnly session cookie set at "login" (403 without) → byte-exact
#   3 a link that needs its page as Referer → byte-exact
#   4 a blob: download and a POST form download → completed by the browser, not by Ferry
#   5 the helper cannot reach Ferry → the browser downloads it itself
#   6 "Download all links with Ferry…" on a page with 20 links → the add dialog lists them;
#     Start Now fetches the 20 ticked archives
#   7 a signed link revoked mid-download → captured again from its page, Ferry continues the same
#     download with the new address; the bytes fetched before are not fetched again
#   and screenshots of the popup and the options page in English and Chinese.
# Firefox ESR (puppeteer-core over WebDriver BiDi, which installs the extension): 1, 2 and 4.
# Then Settings → Browser in English and Chinese. Screenshots go to build/e2e-shots/browser-*.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
HOST="$BUILD_DIR/app/ferry-browser-host"
EXT_CHROMIUM="$BUILD_DIR/browser/chromium"
EXT_FIREFOX="$BUILD_DIR/browser/firefox"

fail_details() {
    if [ -n "$WORK" ] && [ -x "$CLI" ]; then
        echo "--- ferry-cli list --json" >&2
        timeout 10 "$CLI" --state-dir "$WORK/state" list --json >&2 2>&1 || true
    fi
    [ -n "$WORK" ] && [ -s "$WORK/server.log" ] && { echo "--- server.log" >&2; tail -n 20 "$WORK/server.log" >&2; }
    [ -n "$WORK" ] && [ -s "$WORK/host.log" ] && { echo "--- host.log" >&2; tail -n 20 "$WORK/host.log" >&2; }
    return 0
}

require_tools Xvfb xdotool node sha256sum chromium firefox-esr
require_ferry
[ -x "$HOST" ] || fail "no helper at $HOST"
[ -f "$EXT_CHROMIUM/manifest.json" ] || fail "no extension at $EXT_CHROMIUM (build the browser_extension target)"
[ -f "$EXT_FIREFOX/manifest.json" ] || fail "no extension at $EXT_FIREFOX"
[ -d "$SOURCE_DIR/tests/node_modules/puppeteer-core" ] || fail "puppeteer-core is missing (scripts/setup test installs it)"
warn_without_import

make_work ferry-browser data ferry-dl chromium-profile/NativeMessagingHosts
rm -f "$SHOTS"/browser-*.png
private_user
FERRY_DL="$WORK/ferry-dl"
BROWSER_DL="$HOME/Downloads"

STEP="test files"
head -c 3000000 /dev/urandom >"$WORK/data/plain.bin"
head -c 2500000 /dev/urandom >"$WORK/data/firefox.bin"
head -c 1500000 /dev/urandom >"$WORK/data/fallback.bin"
head -c 2000000 /dev/urandom >"$WORK/data/secret-chromium.bin"
head -c 1800000 /dev/urandom >"$WORK/data/secret-firefox.bin"
head -c 1000000 /dev/urandom >"$WORK/data/ref.bin"
head -c 300000 /dev/urandom >"$WORK/data/report.bin"
head -c 12000000 /dev/urandom >"$WORK/data/big.bin"
for i in $(seq -w 1 20); do head -c $((100000 + 1000 * 10#$i)) /dev/urandom >"$WORK/data/link-$i.zip"; done

STEP="the test site"
start_site() { node "$SOURCE_DIR/tests/e2e/browser/server.mjs" --port "$PORT" --files "$WORK/data" >>"$WORK/server.log" 2>&1 & }
site_ready() { curl -fsS "http://127.0.0.1:$PORT/" >/dev/null 2>&1; }
serve_on_free_port start_site site_ready 50
[ -n "$SERVER_PID" ] || fail "the test site did not start (see $WORK/server.log)"
SITE="http://127.0.0.1:$PORT"
log "site on $SITE"

# The helper as the browsers start it: this test's state folder, and a switch the journeys
# flip to play a Ferry that cannot be reached.
STEP="register the helper in the test profiles"
echo normal >"$WORK/host-mode"
cat >"$WORK/host.sh" <<EOF
#!/bin/sh
if [ "\$(cat '$WORK/host-mode')" = unreachable ]; then
    exec '$HOST' --state-dir '$WORK/nowhere' --no-start "\$@" 2>>'$WORK/host.log'
fi
exec '$HOST' --state-dir '$STATE' --window '$FERRY' "\$@" 2>>'$WORK/host.log'
EOF
chmod +x "$WORK/host.sh"
mkdir -p "$HOME/.mozilla/native-messaging-hosts"
cat >"$WORK/chromium-profile/NativeMessagingHosts/io.github.ferry.host.json" <<EOF
{"name":"io.github.ferry.host","description":"Ferry download manager","path":"$WORK/host.sh","type":"stdio",
 "allowed_origins":["chrome-extension://cihnbmkedaphfpommogcckbnlfknfmal/"]}
EOF
cat >"$HOME/.mozilla/native-messaging-hosts/io.github.ferry.host.json" <<EOF
{"name":"io.github.ferry.host","description":"Ferry download manager","path":"$WORK/host.sh","type":"stdio",
 "allowed_extensions":["ferry@ferry.github.io"]}
EOF

settings() { # LANGUAGE
    printf '[interface]\nlanguage=%s\n[folders]\ndownload=%s\n[browser]\nstartWithoutAsking=true\n' "$1" "$FERRY_DL" >"$STATE/settings.ini"
}

start_xvfb 70 89 1600x1000
settings en
# Ferry is not running: the first caught download makes the helper start it.

export SITE WORK STATE CLI FERRY_DL BROWSER_DL SHOTS EXT_CHROMIUM EXT_FIREFOX DATA="$WORK/data"
export NODE_PATH="$SOURCE_DIR/tests/node_modules"
run_journeys() { # BROWSER [JOURNEYS] [LANG]
    STEP="$1 journeys ${2:-all}"
    JOURNEYS="${2:-}" BROWSER_LANG="${3:-en-US}" \
        node "$SOURCE_DIR/tests/e2e/browser/journeys.mjs" "$1" || fail "the $1 journeys failed"
}
run_journeys chromium
STEP="the Ferry the helper started"
MAIN=$(find_window '^Ferry$')
[ -n "$MAIN" ] || fail "no Ferry window after the helper was to start one"
adopt_ferry "$MAIN"
log "the helper had started Ferry (pid $FERRY_PID)"
LANGUAGE=zh_CN:zh run_journeys chromium pictures zh-CN
rm -f "$BROWSER_DL"/*
run_journeys firefox

# --- Settings → Browser, in English and Chinese ---------------------------------------------------
settings_page() { # LANGUAGE TITLE
    STEP="Settings → Browser in $1"
    focus "$MAIN"
    xdotool key --clearmodifiers alt+f s
    local dialog
    dialog=$(wait_window "$2" 10)
    focus "$dialog"
    xdotool key --clearmodifiers alt+b # the Browser tab
    sleep 0.5
    shot "browser-settings-$1.png"
    xdotool key Escape
}
settings_page en '^Settings$'
quit_ferry
settings zh_CN
start_ferry
MAIN=$(wait_window '^Ferry$' 30)
settings_page zh_CN '设置'
quit_ferry
passed
