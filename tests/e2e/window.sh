#!/usr/bin/env bash
# End-to-end test of the real GUI on a virtual X display, driven by real input (single-instance
# handover, keyboard, mouse):
#   F  first start on a fresh state, on a 1400x900 and a 900x600 screen, in English and Chinese:
#      the window fits the screen (80 % of it, centred; a small screen whole), the header's
#      menu of columns opens, and a window resized and with the S3 browser opened (Ctrl+B)
#      comes back as it was left; in Chinese, Settings switches to English and "Restart Now"
#      brings back a new Ferry (not handed over to the one quitting); at the end, the finished
#      downloads at 900x600 with a row selected
#   A  a URL handed over by a second `ferry URL` opens the add dialog; "Start Now" by keyboard
#   B  a second URL is added with "Add to Queue" (queued, then running), its row clicked, Space pauses and resumes it;
#      Ctrl+Q while both download asks first, and Cancel (Escape) keeps everything running
#   B  also: Properties (Alt+Return) of the running beta.zip takes a typed "500K" as its limit
#      (and "0", no limit, right before C)
#   C  kill -9 mid-download, restart: the recovery notice shows, everything completes with the
#      right sha256, and Ctrl+Q quits with status 0
#   D  the same URL added twice, "Download Again Under a New Name" makes a byte-exact
#      "gamma (1).bin"; "2M" typed into the status bar's limit box is stored as 2 MiB/s; a
#      finished download removed with "move files to trash" lands in the trash unchanged
#   E  the queue reordered by dragging with the mouse: a row dropped between two others moves
#      there, one dropped on a finished row goes to the end of the queue (read from the database)
# Screenshots of each step go to ${FERRY_E2E_SHOTS:-$FERRY_BUILD_DIR/e2e-shots}/.
# Needs Xvfb, xdotool, nginx, python3; ImageMagick's `import` for the screenshots (skipped
# with a warning when it is missing).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
RATE=512k # per connection: 8 connections fetch 64 MiB in ~16 s, long enough to act mid-download

fail_details() {
    if [ -n "$WORK" ] && [ -d "$WORK/state" ] && [ -x "$CLI" ]; then
        echo "--- ferry-cli list --json" >&2
        timeout 10 "$CLI" --state-dir "$WORK/state" list --json >&2 2>&1 || true
    fi
    if [ -n "$WORK" ] && [ -s "$WORK/nginx/logs/error.log" ]; then
        echo "--- tail of nginx error.log" >&2
        tail -n 10 "$WORK/nginx/logs/error.log" >&2 || true
    fi
}

# --- checks of what is installed ------------------------------------------------------------
require_tools Xvfb xdotool python3 sha256sum
[ -x "$NGINX" ] || fail "nginx is not installed at $NGINX"
require_ferry
warn_without_import
if [ "$HAVE_IMPORT" = 1 ] && command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
    echo "window.sh: warning: no Chinese font (fonts-wqy-microhei): the zh_CN screenshots show boxes" >&2
fi

make_work ferry-e2e data nginx/logs nginx/tmp
rm -f "$SHOTS"/0[0-9]*-*.png "$SHOTS"/zz-failure-*.png # this script's shots of an earlier run

private_user

# --- F. First start on a fresh state: large and small screens, English and Chinese ------------
# first_start SIZE LANGUAGE X Y WIDTH HEIGHT: Ferry on a fresh state folder that speaks LANGUAGE;
# its window must come up at X,Y with WIDTH x HEIGHT (there is no window manager to move it).
# Sets MAIN; leaves Ferry running.
first_start() {
    STEP="F: first start at $1 in $2"
    STATE="$WORK/first-$1-$2"
    mkdir -p "$STATE"
    printf '[interface]\nlanguage=%s\n' "$2" >"$STATE/settings.ini"
    start_ferry
    MAIN=$(wait_window '^Ferry$' 30)
    expect_geometry "$3" "$4" "$5" "$6"
    sleep 0.5 # the first paint
}
expect_geometry() { # X Y WIDTH HEIGHT
    local X Y WIDTH HEIGHT SCREEN WINDOW
    eval "$(xdotool getwindowgeometry --shell "$MAIN")"
    [ "$X,$Y ${WIDTH}x$HEIGHT" = "$1,$2 $3x$4" ] \
        || fail "the window is at $X,$Y ${WIDTH}x$HEIGHT, expected $1,$2 $3x$4"
}

start_xvfb 90 99 1400x900
first_start 1400x900 en 140 90 1120 720
shot 00-first-1400x900-en.png
STEP="F: the header's menu of columns"
eval "$(xdotool getwindowgeometry --shell "$MAIN")"
windows_before=$(xdotool search --onlyvisible --class . 2>/dev/null | wc -l)
menu_open() { [ "$(xdotool search --onlyvisible --class . 2>/dev/null | wc -l)" -gt "$windows_before" ]; }
# The header sits right above the first row (see journey B). A menu is a window of its own; the
# first click after start-up is sometimes lost, so it is retried.
for try in 1 2 3; do
    xdotool mousemove --sync $((X + 300)) $((Y + 113)) click 3
    deadline=$((SECONDS + 2))
    until menu_open || [ "$SECONDS" -ge "$deadline" ]; do sleep 0.1; done
    menu_open && break
done
menu_open || fail "a right-click on the list's header opened no menu"
sleep 0.3
shot 00-columns-menu-1400x900-en.png
xdotool key Escape
STEP="F: resize, open the S3 browser (Ctrl+B), quit"
xdotool windowsize "$MAIN" 1000 700
xdotool windowmove "$MAIN" 60 50
focus "$MAIN"
xdotool key --clearmodifiers ctrl+b
sleep 0.3
quit_ferry
grep -q '^geometry=' "$STATE/settings.ini" || fail "the window's geometry was not saved ($(cat "$STATE/settings.ini"))"
STEP="F: second start remembers the window"
start_ferry
MAIN=$(wait_window '^Ferry$' 30)
expect_geometry 60 50 1000 700
sleep 0.5
shot 00-second-start-1400x900-en.png # the S3 browser is open again
quit_ferry
first_start 1400x900 zh_CN 140 90 1120 720
shot 00-first-1400x900-zh_CN.png
STEP="F: Settings in Chinese (File → Settings by keyboard)"
focus "$MAIN"
xdotool key --clearmodifiers alt+f s
SETTINGS=$(wait_window '设置' 10)
sleep 0.3 # the first paint
shot 00-settings-zh_CN.png
STEP="F: English chosen in Settings; the restart it needs"
focus "$SETTINGS"
xdotool key --clearmodifiers alt+l Up Return # Language: 简体中文 → English; OK
PROMPT=$(wait_window '重启 Ferry' 10)
sleep 0.3
shot 00-restart-prompt-zh_CN.png
OLD_PID=$FERRY_PID
focus "$PROMPT"
xdotool key Return # Restart Now
wait_until 10 "the Ferry that restarts is gone" bash -c "! kill -0 $OLD_PID 2>/dev/null"
rc=0
wait "$OLD_PID" || rc=$?
[ "$rc" -eq 0 ] || fail "the Ferry that restarts exited with status $rc"
grep -q '^language=en$' "$STATE/settings.ini" || fail "English was not saved ($(cat "$STATE/settings.ini"))"
STEP="F: the restarted Ferry, in English"
MAIN=""
deadline=$((SECONDS + 20))
until MAIN=$(find_window '^Ferry$') && [ -n "$MAIN" ]; do
    [ "$SECONDS" -lt "$deadline" ] || fail "no window of a restarted Ferry within 20 s"
    sleep 0.2
done
adopt_ferry "$MAIN"
[ "$FERRY_PID" != "$OLD_PID" ] || fail "the window is still that of the old Ferry"
xdotool search --onlyvisible --name '设置' >/dev/null 2>&1 && fail "the old Settings window is still there"
sleep 0.5 # the first paint
shot 00-restarted-en.png
quit_ferry
stop_xvfb

start_xvfb 90 99 900x600
first_start 900x600 en 0 0 900 600
shot 00-first-900x600-en.png
quit_ferry
first_start 900x600 zh_CN 0 0 900 600
shot 00-first-900x600-zh_CN.png
quit_ferry
stop_xvfb
STATE="$WORK/state"
log "F: first starts fit 1400x900 and 900x600 in English and Chinese; the window is remembered"

# --- 1. test files ------------------------------------------------------------------------------
STEP="generate files"
head -c $((64 * 1024 * 1024)) /dev/urandom >"$WORK/data/alpha.iso"
head -c $((48 * 1024 * 1024)) /dev/urandom >"$WORK/data/beta.zip"
head -c $((3 * 1024 * 1024)) /dev/urandom >"$WORK/data/gamma.bin"
SUM1=$(sum "$WORK/data/alpha.iso")
SUM2=$(sum "$WORK/data/beta.zip")
SUM3=$(sum "$WORK/data/gamma.bin")

# --- 2. nginx -------------------------------------------------------------------------------
STEP="start nginx"
nginx_up() { curl -fsS -o /dev/null -r 0-0 "http://127.0.0.1:$PORT/alpha.iso" 2>/dev/null; }
NGINX_EXTRA="location /slow/ { alias $WORK/data/; limit_rate $RATE; }"
serve_on_free_port start_nginx nginx_up 50
NGINX_PID=$SERVER_PID
[ -n "$NGINX_PID" ] || fail "nginx did not start (see $WORK/nginx/logs/error.log)"
URL1="http://127.0.0.1:$PORT/slow/alpha.iso"
URL2="http://127.0.0.1:$PORT/slow/beta.zip"
log "nginx on port $PORT"

# --- 3. X display and the app ---------------------------------------------------------------
start_xvfb 90 99

STEP="start ferry"
start_ferry
MAIN=$(wait_window '^Ferry$' 30)
log "main window $MAIN"

# --- helpers on the state, through ferry-cli --------------------------------------------------
# field URL KEY: one field of the download of URL ("" when there is none)
field() {
    list_json | python3 -c '
import json, sys
url, key = sys.argv[1], sys.argv[2]
for line in sys.stdin:
    line = line.strip()
    if line:
        d = json.loads(line)
        if d.get("url") == url:
            print(d.get(key, "")); break
' "$1" "$2"
}
state_is() { [ "$(field "$1" state)" = "$2" ]; }
done_above() { local d; d=$(field "$1" done); [ -n "$d" ] && [ "$d" -gt "$2" ]; }
# The probe of the add dialog is a "bytes=0-" request; nginx logs it once the dialog has the answer.
probed() { grep -q "\"GET /slow/$1 HTTP/1.1\" 206 .* \"bytes=0-\"" "$WORK/nginx/logs/access.log" 2>/dev/null; }
# stored URL COLUMN: a column of the download's row, read from the state database (what
# ferry-cli does not print, such as the speed limit)
stored() {
    python3 -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=5)
row = db.execute("SELECT " + sys.argv[3] + " FROM downloads WHERE url = ? ORDER BY id DESC", (sys.argv[2],)).fetchone()
print(row[0] if row else "")' "$STATE/ferry.sqlite" "$1" "$2"
}
stored_is() { [ "$(stored "$1" "$2")" = "$3" ]; }

# hand_over URL FILE: a second instance hands the URL to the running window, which opens the
# add dialog; waits until the dialog shows the probe result. Prints the dialog's window id.
hand_over() {
    # Bounded: an instance that finds nobody to hand over to becomes a second GUI.
    local rc=0
    timeout 20 "$FERRY" --state-dir "$STATE" "$1" >>"$WORK/handover.log" 2>&1 || rc=$?
    [ "$rc" -eq 0 ] || fail "the second instance did not hand over $1 (exit $rc; $(tail -n 3 "$WORK/handover.log"))"
    local dlg
    dlg=$(wait_window 'Add Downloads' 20)
    wait_until 20 "the add dialog probed $2" probed "$2"
    sleep 0.3 # the row is filled in the same event as the answer; this lets it be painted
    echo "$dlg"
}

# --- 4. Journey A: handover, Start Now -------------------------------------------------------
STEP="A: add dialog by handover"
DLG=$(hand_over "$URL1" alpha.iso)
shot 01-add-dialog.png
STEP="A: Start Now (Alt+S)"
focus "$DLG"
xdotool key --clearmodifiers alt+s
wait_until 10 "the add dialog closed" bash -c "[ -z \"\$(xdotool search --onlyvisible --name 'Add Downloads' 2>/dev/null)\" ]"
wait_until 20 "alpha.iso is listed and running" state_is "$URL1" running
wait_until 30 "alpha.iso made progress" done_above "$URL1" $((4 * 1024 * 1024))
# While it runs, "file" is the bare name; the partial file tells the folder the dialog chose.
FILE1="$DL/alpha.iso"
[ -f "$FILE1.part" ] || fail "no $FILE1.part: the add dialog's default folder is not \$HOME/Downloads ($(ls -A "$DL"))"
shot 02-downloading.png
log "A: alpha.iso downloading to $DL"

# --- 5. Journey B: Add to Queue, click the row, Space to resume / pause / resume -------------
STEP="B: Ctrl+N, the URL typed into the add dialog"
focus "$MAIN"
xdotool key --clearmodifiers ctrl+n
DLG=$(wait_window 'Add Downloads' 20)
focus "$DLG"
xdotool key --clearmodifiers ctrl+a
xdotool type --delay 5 "$URL2"
wait_until 20 "the add dialog probed the typed URL" probed beta.zip
sleep 0.3 # the row is filled in the same event as the answer; this lets it be painted
shot 02b-typed-url.png
STEP="B: Add to Queue (Alt+Q)"
focus "$DLG"
xdotool key --clearmodifiers alt+q
wait_until 10 "the add dialog closed" bash -c "[ -z \"\$(xdotool search --onlyvisible --name 'Add Downloads' 2>/dev/null)\" ]"
# Queued means it starts as soon as a slot is free: one of three is taken by alpha.iso.
wait_until 20 "beta.zip is queued, then runs" state_is "$URL2" running
FILE2="$DL/beta.zip"

STEP="B: select the beta.zip row"
# The list is sorted by queue position: alpha.iso (#1) is the top row, beta.zip (#2) the next.
# Rows start below the menu bar, toolbar, search field and header; the offsets are those of the
# default layout, one row being 24 px high.
eval "$(xdotool getwindowgeometry --shell "$MAIN")"
xdotool mousemove --sync $((X + 450)) $((Y + 160)) click 1
STEP="B: Space pauses beta.zip"
xdotool key space
wait_until 20 "beta.zip is paused after Space" state_is "$URL2" paused
state_is "$URL1" running || state_is "$URL1" completed || fail "Space touched alpha.iso too: $(field "$URL1" state)"
sleep 0.3 # let the row's new state be painted
shot 03-paused.png
STEP="B: Space resumes beta.zip"
xdotool key space
wait_until 20 "beta.zip runs again after Space" state_is "$URL2" running
B0=$(field "$URL2" done)
wait_until 30 "beta.zip made progress" done_above "$URL2" "$((${B0:-0} + 1024 * 1024))"
shot 03b-resumed.png # both in flight, beta.zip selected: the details pane is filled
log "B: beta.zip paused and resumed with Space"
STEP="B: Properties (Alt+Return): a limit typed with units"
# set_limit TEXT: types TEXT as the selected download's own limit in its Properties dialog
set_limit() {
    focus "$MAIN"
    xdotool key --clearmodifiers alt+Return
    PROPS=$(wait_window '^Properties of beta.zip' 10)
    focus "$PROPS"
    xdotool key --clearmodifiers alt+l ctrl+a
    xdotool type --delay 5 "$1"
    xdotool key Tab # leaving the box settles the speed: "500K" reads "500 KiB/s"
}
set_limit 500K
sleep 0.3 # painted
shot 03b-properties.png
xdotool key Return # OK
wait_until 10 "the Properties dialog closed" no_window '^Properties of'
wait_until 10 "beta.zip's limit is 500 KiB/s" stored_is "$URL2" rate_limit $((500 * 1024))
log "B: beta.zip's limit set to 500K in its Properties"
STEP="B: Ctrl+Q while downloading asks first"
focus "$MAIN"
xdotool key --clearmodifiers ctrl+q
PROMPT=$(wait_window 'Quit Ferry' 10)
sleep 0.3 # the first paint
shot 03c-quit-prompt.png
STEP="B: Cancel (Escape) keeps Ferry and its downloads running"
focus "$PROMPT"
xdotool key Escape
wait_until 10 "the quit prompt closed" no_window 'Quit Ferry'
kill -0 "$FERRY_PID" 2>/dev/null || fail "ferry quit although the prompt was cancelled"
[ -n "$(find_window '^Ferry$')" ] || fail "the main window is gone after Cancel"
log "B: Ctrl+Q while downloading asked first; Cancel kept Ferry running"
STEP="B: the Connections tab of the details pane"
# The pane's tabs sit 212 px above the window's bottom edge in the default layout.
eval "$(xdotool getwindowgeometry --shell "$MAIN")"
xdotool mousemove --sync $((X + 295)) $((Y + HEIGHT - 212)) click 1
sleep 0.3
shot 03d-connections.png

# --- 6. Journey C: kill -9 mid-download, recovery -------------------------------------------
STEP="B: Properties: no limit again"
# Journey C needs the speed; the slow stretch kept beta.zip mid-download until here.
set_limit 0
xdotool key Return
wait_until 10 "the Properties dialog closed" no_window '^Properties of'
wait_until 10 "beta.zip has no limit" stored_is "$URL2" rate_limit 0
STEP="C: kill -9 mid-download"
# beta.zip is only a few MiB in: it is certainly mid-download.
state_is "$URL2" running || fail "beta.zip is no longer running: $(field "$URL2" state)"
KILL_DONE=$(field "$URL2" done) # saved progress: it can only have grown when the kill lands
kill -9 "$FERRY_PID"
wait "$FERRY_PID" 2>/dev/null || true
[ -f "$FILE2.part" ] || fail "no partial file $FILE2.part after the crash ($(ls -la "$DL"))"
[ -f "$FILE2" ] && fail "$FILE2 exists although beta.zip was mid-download"
log "C: killed; $(ls "$DL" | tr '\n' ' ')"
# No ferry-cli here: it would open the database the crashed GUI left behind.

STEP="C: restart after the crash"
RESTART_AT=$(date +%s.%N)
start_ferry
MAIN=$(wait_window '^Ferry$' 30)
# The notice is set right after the window is shown; give it one paint.
sleep 0.5
shot 04-recovered.png

STEP="C: everything completes"
all_completed() {
    list_json | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin if l.strip()]
sys.exit(0 if len(rows) == 2 and all(r["state"] == "completed" for r in rows) else 1)'
}
wait_until 120 "both downloads completed" all_completed
for f in "$FILE1:$SUM1" "$FILE2:$SUM2"; do
    path=${f%%:*} want=${f##*:}
    [ -f "$path" ] || fail "$path is missing"
    got=$(sha256sum "$path" | cut -d' ' -f1)
    [ "$got" = "$want" ] || fail "sha256 of $path is $got, expected $want"
done
[ -z "$(ls "$DL"/*.part 2>/dev/null)" ] || fail "partial files left: $(ls "$DL")"
# Resumed, not started over: what was served for beta.zip by requests begun after the restart
# is the rest of the file (plus a probe), not all of it.
SERVED=$(python3 -c '
import sys
restart, total = float(sys.argv[1]), 0
for line in open(sys.argv[2]):
    f = line.split()
    if len(f) >= 8 and f[4] == "/slow/beta.zip" and float(f[0]) - float(f[1]) >= restart:
        total += int(f[7])
print(total)' "$RESTART_AT" "$WORK/nginx/logs/access.log")
TOTAL2=$((48 * 1024 * 1024))
[ "$SERVED" -le $((TOTAL2 - KILL_DONE + 1024 * 1024)) ] \
    || fail "beta.zip was not resumed: $SERVED bytes fetched after the restart, $KILL_DONE of $TOTAL2 were saved before the crash"
log "C: beta.zip resumed from >= $KILL_DONE bytes; $SERVED bytes fetched after the restart"
sleep 0.3 # the last progress update repaints the rows
shot 05-completed.png
log "C: both files complete, sha256 matches"

# --- 6b. Journey D: the same URL twice, a typed global limit, remove to the trash -------------
URL3="http://127.0.0.1:$PORT/gamma.bin"
FILE3="$DL/gamma.bin"
FILE3B="$DL/gamma (1).bin"
probes() { grep -c "\"GET /gamma.bin HTTP/1.1\" 206 .* \"bytes=0-\"" "$WORK/nginx/logs/access.log" 2>/dev/null || true; }
probed_more() { [ "$(probes)" -gt "$1" ]; }
# add_typed URL: Ctrl+N, URL typed into the add dialog, its probe answered, Start Now (Alt+S)
add_typed() {
    local before
    before=$(probes)
    focus "$MAIN"
    xdotool key --clearmodifiers ctrl+n
    DLG=$(wait_window 'Add Downloads' 20)
    focus "$DLG"
    xdotool key --clearmodifiers ctrl+a
    xdotool type --delay 5 "$1"
    wait_until 20 "the add dialog probed $1" probed_more "$before"
    sleep 0.3 # painted
    focus "$DLG"
    xdotool key --clearmodifiers alt+s
}
STEP="D: gamma.bin added and finished"
add_typed "$URL3"
wait_until 20 "gamma.bin is finished" test -f "$FILE3"
STEP="D: the same URL again asks first"
add_typed "$URL3"
QUESTION=$(wait_window '^Already in the List$' 10)
sleep 0.3 # the first paint
shot 05b-duplicate-question.png
STEP="D: Download Again Under a New Name (Alt+D)"
focus "$QUESTION"
xdotool key --clearmodifiers alt+d
wait_until 20 "\"gamma (1).bin\" is finished" test -f "$FILE3B"
wait_until 10 "the add dialog closed" no_window 'Add Downloads'
for path in "$FILE3" "$FILE3B"; do
    [ "$(sum "$path")" = "$SUM3" ] || fail "sha256 of $path differs from the served gamma.bin"
done
log "D: the second copy of gamma.bin is \"gamma (1).bin\", byte-exact"

STEP="D: 2M typed into the status bar's limit box"
# The box is the rightmost field of the status bar, left of the size grip.
eval "$(xdotool getwindowgeometry --shell "$MAIN")"
xdotool mousemove --sync $((X + WIDTH - 80)) $((Y + HEIGHT - 12)) click 1
xdotool key --clearmodifiers ctrl+a
xdotool type --delay 5 2M
xdotool key Return
limit_saved() { grep -q '^globalRateLimit=2097152$' "$STATE/settings.ini"; }
wait_until 10 "the limit of 2 MiB/s is saved" limit_saved
sleep 0.3 # painted
shot 05c-global-limit.png
log "D: \"2M\" in the status bar is a limit of 2097152 bytes/s"

STEP="D: the finished \"gamma (1).bin\" removed to the trash (Delete)"
TRASHED="$XDG_DATA_HOME/Trash/files/gamma (1).bin"
focus "$MAIN"
xdotool key --clearmodifiers ctrl+f # the search field leaves only its row in the list
xdotool type --delay 5 "gamma (1)"
xdotool key Tab ctrl+a Delete # into the list, its one row selected, remove
REMOVE=$(wait_window '^Remove downloads$' 10)
sleep 0.3 # the first paint
shot 05d-remove-question.png
focus "$REMOVE"
xdotool key --clearmodifiers alt+t
wait_until 10 "\"gamma (1).bin\" is in the trash" test -f "$TRASHED"
[ ! -e "$FILE3B" ] || fail "$FILE3B is still in the download folder"
[ "$(sum "$TRASHED")" = "$SUM3" ] || fail "the trashed file differs from the one downloaded"
[ -f "$FILE3" ] || fail "gamma.bin went too"
sleep 0.3 # the row is gone
shot 05e-removed.png
focus "$MAIN"
xdotool key --clearmodifiers ctrl+f BackSpace # the whole list again
log "D: \"gamma (1).bin\" left $DL for the trash, unchanged"

# --- 7. Quit ----------------------------------------------------------------------------------
STEP="quit with Ctrl+Q"
quit_ferry

# --- 7b. Journey E: the queue reordered by dragging rows ----------------------------------------
STEP="E: four paused downloads behind a finished one"
STATE="$WORK/queue"
mkdir -p "$STATE" "$WORK/queue-dl"
for n in 1 2 3 4; do head -c $((1024 * 1024)) /dev/urandom >"$WORK/data/q$n.bin"; done
timeout 30 "$CLI" --state-dir "$STATE" get "http://127.0.0.1:$PORT/gamma.bin" -d "$WORK/queue-dl" >/dev/null 2>&1 \
    || fail "ferry-cli could not fetch gamma.bin"
# At 1 KiB/s none of them finishes before it is paused.
timeout 60 "$CLI" --state-dir "$STATE" get --limit 1K -d "$WORK/queue-dl" \
    "http://127.0.0.1:$PORT/slow/q1.bin" "http://127.0.0.1:$PORT/slow/q2.bin" \
    "http://127.0.0.1:$PORT/slow/q3.bin" "http://127.0.0.1:$PORT/slow/q4.bin" >"$WORK/queue-get.log" 2>&1 &
GET_PID=$!
PIDS+=("$GET_PID")
rows_listed() { [ "$(list_json | grep -c '/slow/q')" -eq 4 ]; } # running, or queued behind three
wait_until 20 "the four downloads are listed" rows_listed
timeout 20 "$CLI" --state-dir "$STATE" pause 2 3 4 5 >/dev/null 2>&1 || fail "ferry-cli pause failed"
wait_until 20 "ferry-cli get stopped after the pause" bash -c "! kill -0 $GET_PID 2>/dev/null"
# queue_order: the unfinished downloads' names in the order the engine starts them
queue_order() {
    python3 -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=5)
rows = db.execute("SELECT url FROM downloads WHERE url LIKE ? ORDER BY priority DESC, id", ("%/slow/q%",))
print(" ".join(r[0].rsplit("/", 1)[1].split(".")[0] for r in rows))' "$STATE/ferry.sqlite"
}
order_is() { [ "$(queue_order)" = "$1" ]; }
order_is "q1 q2 q3 q4" || fail "the queue starts as $(queue_order)"
start_ferry
MAIN=$(wait_window '^Ferry$' 30)
sleep 0.5 # a press before the first layout would be lost
# drag_row FROM_Y TO_Y: presses on the row at FROM_Y (from the window's top), moves there in
# steps as a hand does, lets go at TO_Y; SHOT, if given, is taken just before letting go.
drag_row() {
    local x=$((X + 450)) y=$((Y + $1)) to=$((Y + $2)) i
    xdotool mousemove --sync "$x" "$y" mousedown 1
    for i in 1 2 3 4 5 6 7 8; do
        xdotool mousemove --sync "$x" $((y + (to - y) * i / 8))
        sleep 0.05
    done
    sleep 0.3 # the drop line is painted
    [ -z "${3:-}" ] || shot "$3"
    xdotool mouseup 1
}
eval "$(xdotool getwindowgeometry --shell "$MAIN")"
STEP="E: q4 dragged between q1 and q2"
# Rows are 24 px from Y + 124 on (see journey B): q4, the fourth, is centred at 208; the line
# between q1 and q2 is at 148, and 152 is in q2's upper half.
drag_row 208 152 07-queue-dragging.png
wait_until 10 "q4 is second in the queue" order_is "q1 q4 q2 q3"
sleep 0.3 # painted
shot 07b-queue-dropped.png
STEP="E: q1 dropped on the finished gamma.bin"
drag_row 136 232
wait_until 10 "q1 is last in the queue" order_is "q4 q2 q3 q1"
sleep 0.3
shot 07c-queue-to-the-end.png
quit_ferry
log "E: dragged rows moved in the queue: $(queue_order)"
STATE="$WORK/state"

# --- 8. The two downloads on a small screen ----------------------------------------------------
STEP="F: the finished downloads at 900x600, the window's layout forgotten"
stop_xvfb
start_xvfb 90 99 900x600
# Without its [window] group the settings file is that of a first start, now with rows to show.
awk '/^\[/ { skip = ($0 == "[window]") } !skip' "$STATE/settings.ini" >"$WORK/settings.ini"
mv "$WORK/settings.ini" "$STATE/settings.ini"
start_ferry
MAIN=$(wait_window '^Ferry$' 30)
expect_geometry 0 0 900 600
sleep 0.5 # a click before the first layout would be lost
xdotool mousemove --sync 300 136 click 1 # the top row: the details pane opens below the list
sleep 0.5
shot 06-small-screen-selected.png
quit_ferry
passed
