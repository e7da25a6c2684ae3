#!/usr/bin/env bash
# End-to-end test of the queue's own journeys on a virtual X display, by real keyboard input:
#   P  a batch: an address pattern typed into the add dialog (Ctrl+N) lists the addresses it
#      makes; Start Now fetches all of them byte-exact
#   S  a scheduled start: with the queue scheduled to start at the next minute, a download
#      added with "Add to Queue" waits (the status bar says until when), and starts, then
#      completes, only once that minute has come; the Scheduler dialog shows the schedule
# The site is tests/e2e/browser/server.mjs on 127.0.0.1. Screenshots: build/e2e-shots/queue-*.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"

fail_details() {
    if [ -n "$WORK" ] && [ -x "$CLI" ]; then
        echo "--- ferry-cli list --json" >&2
        timeout 10 "$CLI" --state-dir "$WORK/state" list --json >&2 2>&1 || true
    fi
    return 0
}

require_tools Xvfb xdotool node sha256sum python3
require_ferry
warn_without_import

make_work ferry-queue data ferry-dl
rm -f "$SHOTS"/queue-*.png
private_user
FERRY_DL="$WORK/ferry-dl"

STEP="test files"
for n in 1 2 3 4 5; do head -c $((300000 + n * 1000)) /dev/urandom >"$WORK/data/part$n.bin"; done
head -c $((3 * 1024 * 1024)) /dev/urandom >"$WORK/data/slow-scheduled.bin"

STEP="the test site"
start_site() { node "$SOURCE_DIR/tests/e2e/browser/server.mjs" --port "$PORT" --files "$WORK/data" >>"$WORK/server.log" 2>&1 & }
site_ready() { curl -fsS "http://127.0.0.1:$PORT/" >/dev/null 2>&1; }
serve_on_free_port start_site site_ready 50
[ -n "$SERVER_PID" ] || fail "the test site did not start (see $WORK/server.log)"
SITE="http://127.0.0.1:$PORT"

# field URL KEY: one field of the download of URL ("" when there is none)
field() {
    list_json | python3 -c '
import json, sys
url, key = sys.argv[1], sys.argv[2]
for line in sys.stdin:
    if line.strip():
        d = json.loads(line)
        if d.get("url") == url:
            print(d.get(key, "")); break
' "$1" "$2"
}
state_is() { [ "$(field "$1" state)" = "$2" ]; }
asked() { curl -fsS "$SITE/admin/log" | python3 -c 'import json, sys; print(sum(1 for e in json.load(sys.stdin) if e["path"] == sys.argv[1]))' "$1"; }
probed() { [ "$(asked "$1")" -gt 0 ]; }

settings() { # extra INI lines
    printf '[interface]\nlanguage=en\n[folders]\ndownload=%s\n%s\n' "$FERRY_DL" "${1:-}" >"$STATE/settings.ini"
}

start_xvfb 60 69 1400x900

# --- P. A batch typed as a pattern ------------------------------------------------------------
STEP="P: a pattern typed into the add dialog"
settings
start_ferry
MAIN=$(wait_window '^Ferry$' 30)
focus "$MAIN"
xdotool key --clearmodifiers ctrl+n
DLG=$(wait_window 'Add Downloads' 20)
focus "$DLG"
xdotool key --clearmodifiers ctrl+a
xdotool type --delay 5 "$SITE/files/part[1-5].bin"
for n in 1 2 3 4 5; do wait_until 20 "part$n.bin was probed" probed "/files/part$n.bin"; done
sleep 0.3 # the last answer is painted in the same event
shot queue-01-pattern.png
STEP="P: Start Now fetches every address of the pattern"
focus "$DLG"
xdotool key --clearmodifiers alt+s
for n in 1 2 3 4 5; do
    wait_until 30 "part$n.bin is complete" state_is "$SITE/files/part$n.bin" completed
    [ "$(sum "$FERRY_DL/part$n.bin")" = "$(sum "$WORK/data/part$n.bin")" ] || fail "part$n.bin differs from the site's"
done
[ "$(list_json | grep -c '/files/part')" -eq 5 ] || fail "not exactly five downloads: $(list_json)"
log "P: the pattern made five downloads, all byte-exact"
quit_ferry

# --- S. A scheduled start ----------------------------------------------------------------------
STEP="S: the queue scheduled for the next minute"
# At least 35 s ahead, so that the download is seen waiting first on a slow machine too.
now=$(date +%s)
start=$(((now + 35 + 59) / 60 * 60))
AT=$(date -d "@$start" +%H:%M)
settings "[Schedule]
queueEnabled=true
queue=\"mon,tue,wed,thu,fri,sat,sun $AT-\""
start_ferry
MAIN=$(wait_window '^Ferry$' 30)
URL="$SITE/files/slow-scheduled.bin"
focus "$MAIN"
xdotool key --clearmodifiers ctrl+n
DLG=$(wait_window 'Add Downloads' 20)
focus "$DLG"
xdotool key --clearmodifiers ctrl+a
xdotool type --delay 5 "$URL"
wait_until 20 "the add dialog probed the address" probed /files/slow-scheduled.bin
STEP="S: Add to Queue (Alt+Q) waits for $AT"
focus "$DLG"
xdotool key --clearmodifiers alt+q
wait_until 20 "the download waits in the queue" state_is "$URL" paused
sleep 0.5 # the status bar's "Queue starts at" is painted with the next tick
shot queue-02-waiting.png
[ "$(date +%s)" -lt "$start" ] || fail "the test machine was too slow to see the download wait before $AT"
STEP="S: the Scheduler dialog (Downloads → Scheduler…)"
focus "$MAIN"
xdotool key --clearmodifiers alt+d e
SCHED=$(wait_window '^Scheduler$' 10)
sleep 0.3
shot queue-03-scheduler.png
focus "$SCHED"
xdotool key Escape
STEP="S: the download starts at $AT and completes"
wait_until 120 "the download is complete" state_is "$URL" completed
finished=$(date +%s)
[ "$finished" -ge "$start" ] || fail "the download completed at $(date -d "@$finished" +%T), before the scheduled $AT"
[ "$(sum "$FERRY_DL/slow-scheduled.bin")" = "$(sum "$WORK/data/slow-scheduled.bin")" ] || fail "slow-scheduled.bin differs"
log "S: waited for $AT, completed at $(date -d "@$finished" +%T)"
quit_ferry
passed
