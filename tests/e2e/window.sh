#!/usr/bin/env bash
# End-to-end test of the real GUI on a virtual X display, driven by real input (single-instance
# handover, keyboard, mouse):
#   A  a URL handed over by a second `ferry URL` opens the add dialog; "Start Now" by keyboard
#   B  a second URL is added with "Add to Queue", its row clicked, Space toggles pause/resume
#   C  kill -9 mid-download, restart: the recovery notice shows, everything completes with the
#      right sha256, and Ctrl+Q quits with status 0
# Screenshots of each step go to ${FERRY_E2E_SHOTS:-$FERRY_BUILD_DIR/e2e-shots}/.
# Needs Xvfb, xdotool, nginx, python3; ImageMagick's `import` for the screenshots (skipped
# with a warning when it is missing).
set -euo pipefail

SOURCE_DIR="${FERRY_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
BUILD_DIR="${FERRY_BUILD_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build}"
FERRY="$BUILD_DIR/app/ferry"
CLI="${FERRY_CLI:-$BUILD_DIR/app/ferry-cli}"
SHOTS="${FERRY_E2E_SHOTS:-$BUILD_DIR/e2e-shots}"
NGINX="${NGINX:-/usr/sbin/nginx}"
RATE=512k # per connection: 8 connections fetch 64 MiB in ~16 s, long enough to act mid-download

STEP="setup"
WORK=""
FERRY_PID=""
FERRY_LOG=""
PIDS=()
T0=$SECONDS

log() { printf '[window.sh %3ds] %s\n' "$((SECONDS - T0))" "$*"; }

fail() {
    echo "window.sh: FAILED in step '$STEP': $*" >&2
    if [ -n "$FERRY_LOG" ] && [ -s "$FERRY_LOG" ]; then
        echo "--- tail of $FERRY_LOG" >&2
        tail -n 40 "$FERRY_LOG" >&2 || true
    fi
    if [ -n "$WORK" ] && [ -d "$WORK/state" ] && [ -x "$CLI" ]; then
        echo "--- ferry-cli list --json" >&2
        timeout 10 "$CLI" --state-dir "$WORK/state" list --json >&2 2>&1 || true
    fi
    if [ -n "$WORK" ] && [ -s "$WORK/nginx/logs/error.log" ]; then
        echo "--- tail of nginx error.log" >&2
        tail -n 10 "$WORK/nginx/logs/error.log" >&2 || true
    fi
    shot "zz-failure-$(printf '%s' "$STEP" | tr -c 'A-Za-z0-9' '-').png" || true
    exit 1
}

cleanup() {
    local rc=$?
    local pid
    # Only what this script started, by PID, newest first.
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
        pid=${PIDS[i]}
        if kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
            for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -9 "$pid" 2>/dev/null || true
        fi
    done
    if [ -n "$WORK" ]; then
        if [ "$rc" -eq 0 ] || [ -n "${CI:-}" ]; then
            rm -rf "$WORK"
        else
            echo "window.sh: work folder kept for inspection: $WORK" >&2
        fi
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_until SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.2 s until it succeeds.
wait_until() {
    local limit=$1 what=$2
    shift 2
    local deadline=$((SECONDS + limit))
    until "$@"; do
        [ "$SECONDS" -lt "$deadline" ] || fail "timed out after ${limit}s waiting until $what"
        sleep 0.2
    done
}

HAVE_IMPORT=1
command -v import >/dev/null 2>&1 || HAVE_IMPORT=0
SHOT_LIST=()
shot() {
    [ "$HAVE_IMPORT" = 1 ] || return 0
    [ -n "${DISPLAY:-}" ] || return 0
    import -display "$DISPLAY" -window root "$SHOTS/$1" 2>/dev/null && SHOT_LIST+=("$SHOTS/$1")
}

# --- checks of what is installed ------------------------------------------------------------
for tool in Xvfb xdotool python3 sha256sum; do
    command -v "$tool" >/dev/null 2>&1 || fail "$tool is not installed (scripts/setup test installs it)"
done
[ -x "$NGINX" ] || fail "nginx is not installed at $NGINX"
[ -x "$FERRY" ] || fail "no GUI binary at $FERRY (build first, or set FERRY_BUILD_DIR)"
[ -x "$CLI" ] || fail "no ferry-cli at $CLI"
[ "$HAVE_IMPORT" = 1 ] || echo "window.sh: warning: ImageMagick's import is missing; no screenshots" >&2

WORK="$(mktemp -d "${TMPDIR:-/tmp}/ferry-e2e.XXXXXX")"
mkdir -p "$SHOTS" "$WORK/data" "$WORK/state" "$WORK/home/Downloads" "$WORK/runtime" \
    "$WORK/tmp" "$WORK/nginx/logs" "$WORK/nginx/tmp"
chmod 700 "$WORK/runtime"
rm -f "$SHOTS"/0[0-9]*-*.png "$SHOTS"/zz-failure-*.png # this script's shots of an earlier run

# A clean, private user: the add dialog's default folder is $HOME/Downloads, nothing of the
# real user's settings leaks in, and the single-instance socket lives in our own TMPDIR.
export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/.config" XDG_DATA_HOME="$WORK/home/.local/share" \
    XDG_CACHE_HOME="$WORK/home/.cache" XDG_RUNTIME_DIR="$WORK/runtime" TMPDIR="$WORK/tmp"
export QT_QPA_PLATFORM=xcb # scripts/test exports offscreen for ctest
unset WAYLAND_DISPLAY SESSION_MANAGER
export LC_ALL=C.UTF-8 LANG=C.UTF-8 LANGUAGE=en
STATE="$WORK/state"
DL="$HOME/Downloads"

# --- 1. test files ------------------------------------------------------------------------------
STEP="generate files"
head -c $((64 * 1024 * 1024)) /dev/urandom >"$WORK/data/alpha.iso"
head -c $((48 * 1024 * 1024)) /dev/urandom >"$WORK/data/beta.zip"
SUM1=$(sha256sum "$WORK/data/alpha.iso" | cut -d' ' -f1)
SUM2=$(sha256sum "$WORK/data/beta.zip" | cut -d' ' -f1)

# --- 2. nginx -------------------------------------------------------------------------------
STEP="start nginx"
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
nginx_up() { curl -fsS -o /dev/null -r 0-0 "http://127.0.0.1:$PORT/alpha.iso" 2>/dev/null; }
NGINX_PID=""
for attempt in 1 2 3; do
    PORT=$(free_port)
    {
        echo "daemon off;"
        echo "master_process off;"
        echo "worker_processes 1;"
        [ "$(id -u)" -ne 0 ] || echo "user root;" # else nginx serves as nobody, who cannot read $WORK
        echo "pid $WORK/nginx/nginx.pid;"
        echo "lock_file $WORK/nginx/nginx.lock;"
        echo "error_log $WORK/nginx/logs/error.log info;"
        echo "events { worker_connections 1024; }"
        echo "http {"
        echo "    types { } default_type application/octet-stream;"
        echo "    log_format e2e '\$msec \$request_time \$remote_port \"\$request\" \$status \$body_bytes_sent \"\$http_range\"';"
        echo "    access_log $WORK/nginx/logs/access.log e2e;"
        for t in client_body proxy fastcgi uwsgi scgi; do echo "    ${t}_temp_path $WORK/nginx/tmp/$t;"; done
        echo "    keepalive_requests 10000;"
        echo "    server {"
        echo "        listen 127.0.0.1:$PORT;"
        echo "        root $WORK/data;"
        echo "        location / { }"
        echo "        location /slow/ { alias $WORK/data/; limit_rate $RATE; }"
        echo "    }"
        echo "}"
    } >"$WORK/nginx/nginx.conf"
    "$NGINX" -p "$WORK/nginx/" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/logs/error.log" \
        >"$WORK/nginx/logs/stdout.log" 2>&1 &
    NGINX_PID=$!
    PIDS+=("$NGINX_PID")
    for _ in $(seq 50); do
        nginx_up && break
        kill -0 "$NGINX_PID" 2>/dev/null || break
        sleep 0.1
    done
    nginx_up && break
    kill "$NGINX_PID" 2>/dev/null || true
    NGINX_PID=""
done
[ -n "$NGINX_PID" ] || fail "nginx did not start (see $WORK/nginx/logs/error.log)"
URL1="http://127.0.0.1:$PORT/slow/alpha.iso"
URL2="http://127.0.0.1:$PORT/slow/beta.zip"
log "nginx on port $PORT"

# --- 3. X display and the app ---------------------------------------------------------------
STEP="start Xvfb"
DISPLAY_NUM=""
for n in 90 91 92 93 94 95 96 97 98 99; do
    [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ] && continue
    # -noreset: the crash below leaves the server without clients; a reset would then refuse the
    # restarted app for a moment.
    Xvfb ":$n" -nolisten tcp -noreset -screen 0 1280x800x24 >"$WORK/xvfb.log" 2>&1 &
    XVFB_PID=$!
    PIDS+=("$XVFB_PID")
    for _ in $(seq 50); do
        DISPLAY=":$n" xdotool getdisplaygeometry >/dev/null 2>&1 && { DISPLAY_NUM=$n; break; }
        kill -0 "$XVFB_PID" 2>/dev/null || break
        sleep 0.1
    done
    [ -n "$DISPLAY_NUM" ] && break
    kill "$XVFB_PID" 2>/dev/null || true
done
[ -n "$DISPLAY_NUM" ] || fail "no free X display among :90..:99 (see $WORK/xvfb.log)"
export DISPLAY=":$DISPLAY_NUM"
log "Xvfb on $DISPLAY"

RUN=0
start_ferry() {
    RUN=$((RUN + 1))
    FERRY_LOG="$WORK/ferry-$RUN.log"
    "$FERRY" --state-dir "$STATE" >"$FERRY_LOG" 2>&1 &
    FERRY_PID=$!
    PIDS+=("$FERRY_PID")
}

# The visible top-level window whose title matches; Qt also maps an invisible leader window.
find_window() { xdotool search --onlyvisible --name "$1" 2>/dev/null | tail -n 1; }
wait_window() { # PATTERN SECONDS -> prints the window id
    local id="" deadline=$((SECONDS + $2))
    while [ -z "$id" ]; do
        kill -0 "$FERRY_PID" 2>/dev/null || fail "ferry exited while waiting for window '$1'"
        [ "$SECONDS" -lt "$deadline" ] || fail "no window '$1' after $2 s"
        id=$(find_window "$1")
        [ -n "$id" ] || sleep 0.2
    done
    echo "$id"
}
# There is no window manager: give the window the keyboard focus ourselves.
focus() { timeout 5 xdotool windowfocus --sync "$1" >/dev/null 2>&1 || xdotool windowfocus "$1"; }

STEP="start ferry"
start_ferry
MAIN=$(wait_window '^Ferry$' 30)
log "main window $MAIN"

# --- helpers on the state, through ferry-cli --------------------------------------------------
list_json() { timeout 20 "$CLI" --state-dir "$STATE" list --json 2>/dev/null; }
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
wait_until 20 "beta.zip is listed as paused" state_is "$URL2" paused
FILE2="$DL/beta.zip"

STEP="B: select the beta.zip row"
# The list is sorted by "Added", newest first: beta.zip is the top row. Rows start below the
# menu bar, toolbar, search field and header; the offsets are those of the default layout.
eval "$(xdotool getwindowgeometry --shell "$MAIN")"
xdotool mousemove --sync $((X + 450)) $((Y + 136)) click 1
STEP="B: Space resumes beta.zip"
xdotool key space
wait_until 20 "beta.zip runs after Space" state_is "$URL2" running
B0=$(field "$URL2" done)
wait_until 30 "beta.zip made progress" done_above "$URL2" "$((${B0:-0} + 1024 * 1024))"
STEP="B: Space pauses beta.zip"
xdotool key space
wait_until 20 "beta.zip is paused after Space" state_is "$URL2" paused
state_is "$URL1" running || state_is "$URL1" completed || fail "Space touched alpha.iso too: $(field "$URL1" state)"
sleep 0.3 # let the row's new state be painted
shot 03-paused.png
STEP="B: Space resumes beta.zip again"
xdotool key space
wait_until 20 "beta.zip runs again after Space" state_is "$URL2" running
B0=$(field "$URL2" done)
wait_until 30 "beta.zip made progress" done_above "$URL2" "$((${B0:-0} + 1024 * 1024))"
shot 03b-resumed.png # both in flight, beta.zip selected: the details pane is filled
log "B: beta.zip paused and resumed with Space"

# --- 6. Journey C: kill -9 mid-download, recovery -------------------------------------------
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

# --- 7. Quit ----------------------------------------------------------------------------------
STEP="quit with Ctrl+Q"
focus "$MAIN"
xdotool key --clearmodifiers ctrl+q
deadline=$((SECONDS + 10))
while kill -0 "$FERRY_PID" 2>/dev/null; do
    [ "$SECONDS" -lt "$deadline" ] || fail "ferry did not quit within 10 s of Ctrl+Q"
    sleep 0.1
done
rc=0
wait "$FERRY_PID" || rc=$?
[ "$rc" -eq 0 ] || fail "ferry exited with status $rc after Ctrl+Q"
FERRY_PID=""

log "passed"
if [ ${#SHOT_LIST[@]} -gt 0 ]; then
    echo "screenshots:"
    printf '  %s\n' "${SHOT_LIST[@]}"
fi
