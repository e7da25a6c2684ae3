# What the end-to-end scripts share, sourced by tests/e2e/*.sh right after `set -euo pipefail`:
# paths of the build, logging and failing, cleaning up what was started, screenshots, a private
# user, servers on free ports, the X display and the app's windows. Not a *.sh file, so that
# scripts/test does not run it as a test of its own.
# A script may define fail_details, called by fail to print its own logs.

E2E_NAME="$(basename "${BASH_SOURCE[1]}")"
SOURCE_DIR="${FERRY_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
BUILD_DIR="${FERRY_BUILD_DIR:-$SOURCE_DIR/build}"
FERRY="$BUILD_DIR/app/ferry"
CLI="${FERRY_CLI:-$BUILD_DIR/app/ferry-cli}"
SHOTS="${FERRY_E2E_SHOTS:-$BUILD_DIR/e2e-shots}"
SHOT_PREFIX="" # of the failure screenshot

STEP="setup"
WORK=""
FERRY_PID=""
FERRY_LOG=""
PIDS=()
T0=$SECONDS

log() { printf '[%s %3ds] %s\n' "$E2E_NAME" "$((SECONDS - T0))" "$*"; }

fail() {
    echo "$E2E_NAME: FAILED in step '$STEP': $*" >&2
    if [ -n "$FERRY_LOG" ] && [ -s "$FERRY_LOG" ]; then
        echo "--- tail of $FERRY_LOG" >&2
        tail -n 40 "$FERRY_LOG" >&2 || true
    fi
    if declare -F fail_details >/dev/null; then
        fail_details || true
    fi
    shot "${SHOT_PREFIX}zz-failure-$(printf '%s' "$STEP" | tr -c 'A-Za-z0-9' '-').png" || true
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
            echo "$E2E_NAME: work folder kept for inspection: $WORK" >&2
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

sum() { sha256sum "$1" | cut -d' ' -f1; }

# --- checks of what is installed ------------------------------------------------------------
require_tools() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null 2>&1 || fail "$tool is not installed (scripts/setup test installs it)"
    done
}
require_ferry() {
    [ -x "$FERRY" ] || fail "no GUI binary at $FERRY (build first, or set FERRY_BUILD_DIR)"
    [ -x "$CLI" ] || fail "no ferry-cli at $CLI"
}
warn_without_import() {
    [ "$HAVE_IMPORT" = 1 ] || echo "$E2E_NAME: warning: ImageMagick's import is missing; no screenshots" >&2
}

# make_work TEMPLATE DIR...: the work folder $WORK with the private user's folders, the state
# folder and DIRs in it
make_work() {
    local template=$1 dir
    shift
    WORK="$(mktemp -d "${TMPDIR:-/tmp}/$template.XXXXXX")"
    mkdir -p "$SHOTS" "$WORK/home/Downloads" "$WORK/runtime" "$WORK/tmp" "$WORK/state"
    for dir in "$@"; do mkdir -p "$WORK/$dir"; done
    chmod 700 "$WORK/runtime"
}

# A clean, private user: the add dialog's default folder is $HOME/Downloads, nothing of the
# real user's settings leaks in, and the single-instance socket lives in our own TMPDIR.
private_user() {
    export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/.config" XDG_DATA_HOME="$WORK/home/.local/share" \
        XDG_CACHE_HOME="$WORK/home/.cache" XDG_RUNTIME_DIR="$WORK/runtime" TMPDIR="$WORK/tmp"
    export QT_QPA_PLATFORM=xcb # scripts/test exports offscreen for ctest
    unset WAYLAND_DISPLAY SESSION_MANAGER
    export LC_ALL=C.UTF-8 LANG=C.UTF-8 LANGUAGE=en
    STATE="$WORK/state"
    DL="$HOME/Downloads"
}

# --- servers ----------------------------------------------------------------------------------
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# serve_on_free_port START READY POLLS: up to three times, START starts a server in the background
# on a free $PORT, and READY is polled every 0.1 s, at most POLLS times. Sets PORT and
# SERVER_PID, which stays empty when no server came up.
serve_on_free_port() {
    local start=$1 ready=$2 polls=$3 attempt
    SERVER_PID=""
    for attempt in 1 2 3; do
        PORT=$(free_port)
        "$start"
        SERVER_PID=$!
        PIDS+=("$SERVER_PID")
        for _ in $(seq "$polls"); do
            "$ready" && break
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        "$ready" && return 0
        kill "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=""
    done
}

# start_nginx: nginx in the background on $PORT (for serve_on_free_port), serving $WORK/data at
# "/" plus the location lines in NGINX_EXTRA; its files under $WORK/nginx, and an access log
# that tells the range asked and the bytes sent of each request.
NGINX="${NGINX:-/usr/sbin/nginx}"
NGINX_EXTRA=""
start_nginx() {
    mkdir -p "$WORK/nginx/logs" "$WORK/nginx/tmp"
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
        [ -z "$NGINX_EXTRA" ] || echo "        $NGINX_EXTRA"
        echo "    }"
        echo "}"
    } >"$WORK/nginx/nginx.conf"
    "$NGINX" -p "$WORK/nginx/" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/logs/error.log" \
        >"$WORK/nginx/logs/stdout.log" 2>&1 &
}

# --- X display and the app ---------------------------------------------------------------------
# start_xvfb FIRST LAST [WIDTHxHEIGHT]: a virtual display (1280x800 unless given) on the first free
# number of FIRST..LAST; stop_xvfb ends it, so that a script can look at several screen sizes.
XVFB_PID=""
start_xvfb() {
    local n size=${3:-1280x800}
    STEP="start Xvfb"
    DISPLAY_NUM=""
    for n in $(seq "$1" "$2"); do
        [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ] && continue
        # -noreset: after a crash of the app the server is left without clients; a reset would
        # then refuse the restarted app for a moment.
        Xvfb ":$n" -nolisten tcp -noreset -screen 0 "${size}x24" >"$WORK/xvfb.log" 2>&1 &
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
    [ -n "$DISPLAY_NUM" ] || fail "no free X display among :$1..:$2 (see $WORK/xvfb.log)"
    export DISPLAY=":$DISPLAY_NUM"
    log "Xvfb $size on $DISPLAY"
}
stop_xvfb() {
    [ -n "$XVFB_PID" ] || return 0
    kill "$XVFB_PID" 2>/dev/null || true
    wait "$XVFB_PID" 2>/dev/null || true
    XVFB_PID=""
    unset DISPLAY
}

RUN=0
FERRY_ADOPTED=0 # 1 while FERRY_PID is a Ferry this script did not start (a restarted one)
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
no_window() { [ -z "$(find_window "$1")" ]; }
# There is no window manager: give the window the keyboard focus ourselves.
focus() { timeout 5 xdotool windowfocus --sync "$1" >/dev/null 2>&1 || xdotool windowfocus "$1"; }

# Ctrl+Q in the main window; the app must be gone within 10 s, with status 0 (which only a
# Ferry this script started can tell).
quit_ferry() {
    focus "$MAIN"
    xdotool key --clearmodifiers ctrl+q
    local deadline=$((SECONDS + 10))
    while kill -0 "$FERRY_PID" 2>/dev/null; do
        [ "$SECONDS" -lt "$deadline" ] || fail "ferry did not quit within 10 s of Ctrl+Q"
        sleep 0.1
    done
    if [ "$FERRY_ADOPTED" = 0 ]; then
        local rc=0
        wait "$FERRY_PID" || rc=$?
        [ "$rc" -eq 0 ] || fail "ferry exited with status $rc after Ctrl+Q"
    fi
    FERRY_PID=""
    FERRY_ADOPTED=0
}

# adopt_ferry WINDOW: the Ferry that owns WINDOW (one Ferry started itself, e.g. to restart)
# becomes FERRY_PID, and is ended by the cleanup like the ones this script started.
adopt_ferry() {
    FERRY_PID=$(xdotool getwindowpid "$1")
    [ -n "$FERRY_PID" ] || fail "no process owns window $1"
    PIDS+=("$FERRY_PID")
    FERRY_ADOPTED=1
}

list_json() { timeout 20 "$CLI" --state-dir "$STATE" list --json 2>/dev/null; }

passed() {
    log "passed"
    if [ ${#SHOT_LIST[@]} -gt 0 ]; then
        echo "screenshots:"
        printf '  %s\n' "${SHOT_LIST[@]}"
    fi
}
