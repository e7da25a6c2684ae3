#!/usr/bin/env bash
# End-to-end test of "Show Contents…" on a remote ZIP archive, with the real GUI on a virtual X
# display driven by real input, in English and in Chinese:
#   a second `ferry URL` hands the archive's address to the window; in the add dialog
#   Alt+E (Show Contents…) lists the archive; two entries are ticked with the keyboard (a small
#   text file and a 24 MiB deflated table, which goes through several connections), the folder
#   is typed, Alt+D (Download Selected) queues them; both arrive byte-exact under their folders,
#   and nginx was asked for far less than the archive (the listing and the two entries' spans).
# Screenshots of each step go to ${FERRY_E2E_SHOTS:-$FERRY_BUILD_DIR/e2e-shots}/ as zip-*.png.
# Needs Xvfb, xdotool, nginx, python3; ImageMagick's `import` for the screenshots.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"

fail_details() {
    if [ -n "$WORK" ] && [ -d "${STATE:-}" ] && [ -x "$CLI" ]; then
        echo "--- ferry-cli list --json" >&2
        timeout 10 "$CLI" --state-dir "$STATE" list --json >&2 2>&1 || true
    fi
    if [ -n "$WORK" ] && [ -s "$WORK/nginx/logs/access.log" ]; then
        echo "--- tail of nginx access.log" >&2
        tail -n 15 "$WORK/nginx/logs/access.log" >&2 || true
    fi
}

require_tools Xvfb xdotool python3 sha256sum curl
[ -x "$NGINX" ] || fail "nginx is not installed at $NGINX"
require_ferry
warn_without_import

make_work ferry-e2e-zip data
rm -f "$SHOTS"/zip-*.png
private_user

# --- the archive: 90 MiB, of which the journey takes two entries ------------------------------
STEP="make the archive"
python3 - "$WORK/data/dataset.zip" "$WORK/expected" <<'PY'
import hashlib, os, random, sys, zipfile
path, expected = sys.argv[1], sys.argv[2]
rng = random.Random(15)
os.makedirs(expected, exist_ok=True)
readme = ("Sensor dataset, 2026 edition.\n" * 60).encode()
rows = "".join("%d,%.4f,%.4f,%s\n" % (i, rng.random() * 100, rng.random(), rng.choice("ABCDEFGH"))
               for i in range(900_000)).encode()
with zipfile.ZipFile(path, "w") as z:
    z.writestr("dataset/README.txt", readme, zipfile.ZIP_DEFLATED)
    z.writestr("dataset/images/cat-0001.jpg", os.urandom(3 << 20), zipfile.ZIP_STORED)
    z.writestr("dataset/raw/sensor-a.bin", os.urandom(40 << 20), zipfile.ZIP_STORED)
    z.writestr("dataset/raw/sensor-b.bin", os.urandom(24 << 20), zipfile.ZIP_STORED)
    z.writestr("dataset/tables/measurements.csv", rows, zipfile.ZIP_DEFLATED)
    z.writestr("dataset/notes/日志.txt", "第一天：一切正常。\n".encode(), zipfile.ZIP_DEFLATED)
for name, data in (("README.txt", readme), ("measurements.csv", rows)):
    with open(os.path.join(expected, name + ".sha256"), "w") as f:
        f.write(hashlib.sha256(data).hexdigest())
PY
ARCHIVE_SIZE=$(stat -c %s "$WORK/data/dataset.zip")
CSV_SIZE=$(python3 -c 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).getinfo("dataset/tables/measurements.csv").file_size)' "$WORK/data/dataset.zip")
log "archive of $ARCHIVE_SIZE bytes; measurements.csv $CSV_SIZE bytes unpacked"

STEP="start nginx"
nginx_up() { curl -fsS -o /dev/null -r 0-0 "http://127.0.0.1:$PORT/dataset.zip" 2>/dev/null; }
serve_on_free_port start_nginx nginx_up 50
[ -n "$SERVER_PID" ] || fail "nginx did not start (see $WORK/nginx/logs/error.log)"
URL="http://127.0.0.1:$PORT/dataset.zip"

# Body bytes nginx sent for the archive (the access log's 8th field), leaving out the add
# dialog's probe ("bytes=0-", cut off once its headers are read, but whatever the socket took
# by then is logged as sent), and the ranged requests that read it.
served_bytes() { awk '/GET \/dataset.zip/ && !/"bytes=0-"$/ { n += $8 } END { print n + 0 }' "$WORK/nginx/logs/access.log"; }
requests_with_range() { grep 'GET /dataset.zip.*"bytes=' "$WORK/nginx/logs/access.log" | grep -vc '"bytes=0-"$' || true; }
PACKED=$(python3 -c '
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
print(sum(z.getinfo(n).compress_size for n in ("dataset/README.txt", "dataset/tables/measurements.csv")))' "$WORK/data/dataset.zip")

# journey LANGUAGE TITLE_ADD TITLE_CONTENTS: the whole journey in one language, on a fresh state.
journey() {
    local lang=$1 add_title=$2 contents_title=$3
    STATE="$WORK/state-$lang"
    local out="$WORK/out-$lang"
    mkdir -p "$STATE"
    printf '[interface]\nlanguage=%s\n' "$lang" >"$STATE/settings.ini"
    : >"$WORK/nginx/logs/access.log"

    STEP="$lang: start ferry"
    start_ferry
    MAIN=$(wait_window '^Ferry$' 30)
    sleep 0.3 # the first paint

    STEP="$lang: the archive's address handed over opens the add dialog"
    local rc=0
    timeout 20 "$FERRY" --state-dir "$STATE" "$URL" >>"$WORK/handover.log" 2>&1 || rc=$?
    [ "$rc" -eq 0 ] || fail "the second instance did not hand over $URL (exit $rc)"
    local dlg
    dlg=$(wait_window "$add_title" 20)
    wait_until 20 "the add dialog probed the archive" grep -q '"bytes=0-"' "$WORK/nginx/logs/access.log"
    sleep 0.3
    shot "zip-1-add-dialog-$lang.png"

    STEP="$lang: Show Contents (Alt+E)"
    focus "$dlg"
    xdotool key --clearmodifiers alt+e
    local contents
    contents=$(wait_window "$contents_title" 20)
    # Listed once the archive's tail was read (nginx logs a request when it is answered).
    wait_until 20 "the contents are listed" grep -q '"bytes=-' "$WORK/nginx/logs/access.log"
    sleep 0.5 # the tree is filled in the same event as the answer; this lets it be painted
    shot "zip-2-contents-$lang.png"
    local listed_bytes
    listed_bytes=$(served_bytes)
    log "$lang: listing and probe: $listed_bytes bytes of the $ARCHIVE_SIZE-byte archive"
    [ "$listed_bytes" -lt $((256 * 1024)) ] || fail "listing took $listed_bytes bytes of the archive"

    STEP="$lang: tick README.txt and measurements.csv by keyboard"
    focus "$contents"
    # The tree: dataset/ (open) > images/ notes/ raw/ tables/ (closed), README.txt. Folders come
    # first, so README.txt is the last row; tables/ is the row above it.
    # The tree has the focus once it is filled.
    xdotool key --clearmodifiers End space # README.txt
    xdotool key --clearmodifiers Up Right Down space # tables/ opened, measurements.csv
    sleep 0.3
    shot "zip-3-ticked-$lang.png"
    STEP="$lang: the folder typed, Download Selected (Alt+D)"
    xdotool key --clearmodifiers alt+s ctrl+a
    xdotool type --delay 2 "$out"
    xdotool key --clearmodifiers alt+d
    wait_until 10 "the contents window closed" no_window "$contents_title"
    wait_until 10 "the add dialog closed" no_window "$add_title"

    STEP="$lang: both entries arrive byte-exact"
    local readme="$out/dataset/README.txt" csv="$out/dataset/tables/measurements.csv"
    wait_until 60 "README.txt and measurements.csv are there" test -f "$readme" -a -f "$csv"
    wait_until 30 "measurements.csv is complete" bash -c "[ \$(stat -c %s '$csv') -eq $CSV_SIZE ]"
    [ "$(sum "$readme")" = "$(cat "$WORK/expected/README.txt.sha256")" ] || fail "README.txt differs from the archive's"
    [ "$(sum "$csv")" = "$(cat "$WORK/expected/measurements.csv.sha256")" ] || fail "measurements.csv differs from the archive's"
    local others
    others=$(find "$out" -type f ! -name README.txt ! -name measurements.csv | head -n 3)
    [ -z "$others" ] || fail "more than the two entries arrived: $others"
    focus "$MAIN"
    sleep 0.5
    shot "zip-4-done-$lang.png"

    STEP="$lang: what nginx was asked"
    local sent ranged
    sent=$(served_bytes)
    ranged=$(requests_with_range)
    log "$lang: nginx sent $sent bytes of the $ARCHIVE_SIZE-byte archive in $ranged ranged requests (entries: $PACKED bytes packed)"
    # The listing (the 64 KiB tail holds the central directory) and the two entries' spans
    # (packed data plus local headers); nothing of the 67 MiB of other entries.
    [ "$sent" -le $((PACKED + 65536 + 4096)) ] || fail "nginx sent $sent bytes, more than the listing and the two entries need"
    [ "$ranged" -ge 4 ] || fail "only $ranged ranged requests: the table was not fetched by several connections"
    quit_ferry
}

start_xvfb 90 99 1280x800
journey en 'Add Downloads' '^Contents of dataset.zip$'
journey zh_CN '新建下载' '^dataset.zip 的内容$'
passed
