#!/usr/bin/env bash
# End-to-end test of the S3 browser of the real GUI against a real S3 server (Ceph RGW) on a
# virtual X display, driven by real keyboard and mouse input:
#   1  browse: in the S3 dock (shown on a first start), the account is picked from its combo
#      box, its only bucket opens by itself and the "docs/" folder is entered with Return
#   2  drag out: an object row dragged from the S3 table onto the download list is downloaded
#      to $HOME/Downloads with the right sha256
#   3  share link: context menu → Copy Share Link… → Copy Link, then Ctrl+V in the main window
#      opens the add dialog with the presigned URL; "Start Now" downloads it (sha256 checked)
#   4  Download as ZIP: the folder's three objects selected with Shift+click, context menu →
#      Download as ZIP… → the dialog's default ($HOME/Downloads/docs.zip); the archive passes
#      `unzip -t` and its entries have the objects' sha256s
#   5  Bundle into Bucket: the same selection → Bundle into Bucket… with the defaults
#      (s3://media/docs/docs.zip, link valid 1 hour); when the job completes its share link is on
#      the clipboard; Ctrl+V opens the add dialog with it and "Start Now" downloads the archive
#      (`unzip -t`, entries' sha256s)
#   6  drag in: a local file dragged from another program (tests/e2e/dragsource, a real XDND
#      source) onto the S3 table is uploaded into docs/; `ferry-cli s3 get` fetches it back with
#      the same sha256
#   6b Show Contents… of the bundle docs.zip (context menu): two of its entries ticked with the
#      keyboard and downloaded by their byte ranges (sha256 checked); the Unfinished Uploads
#      window opened from the context menu for a screenshot (one upload left by another program)
#   7  zh_CN: a restart with interface/language=zh_CN (fresh state, 1 MiB/s limit): two objects
#      selected with Shift+click are downloaded with the context menu's "Download" (sha256
#      checked); Ctrl+B hides the dock for a screenshot of the main window with both in flight
#      and shows it again for one of the S3 browser. The translations are checked by eye on
#      those, and on one of the Unfinished Uploads window; without a CJK font
#      (fonts-wqy-microhei) they show boxes and a warning is printed.
# Screenshots go to ${FERRY_E2E_SHOTS:-$FERRY_BUILD_DIR/e2e-shots}/s3-*.png.
# Needs Xvfb, xdotool, unzip, python3, awscli (to create the bucket), the ferry-e2e-dragsource
# program of the build, and ceph-mon, ceph-osd and radosgw for the throwaway cluster that
# tests/support/rgw/rgw-cluster starts; skipped with status 0 when those three are missing.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
DRAGSOURCE="${FERRY_DRAGSOURCE:-$BUILD_DIR/tests/e2e/dragsource/ferry-e2e-dragsource}"
RGW_CLUSTER="$SOURCE_DIR/tests/support/rgw/rgw-cluster"
BUCKET=media
SHOT_PREFIX=s3-

fail_details() {
    if [ -n "$WORK" ] && [ -s "$WORK/rgw/log/client.rgw.log" ]; then
        echo "--- tail of the gateway's log" >&2
        tail -n 10 "$WORK/rgw/log/client.rgw.log" >&2 || true
    fi
}

# --- checks of what is installed ------------------------------------------------------------
for tool in ceph-mon ceph-osd radosgw; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "s3.sh: skipped: $tool is not installed (scripts/setup installs it)"
        exit 0
    fi
done
AWS=/usr/bin/aws
[ -x "$AWS" ] || AWS=$(command -v aws || true)
require_tools Xvfb xdotool python3 sha256sum unzip
[ -n "$AWS" ] || fail "aws (awscli) is not installed (scripts/setup installs it)"
require_ferry
[ -x "$DRAGSOURCE" ] || fail "no drag source program at $DRAGSOURCE (build target ferry-e2e-dragsource)"
warn_without_import
if [ "$HAVE_IMPORT" = 1 ] && command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
    echo "s3.sh: warning: no Chinese font (fonts-wqy-microhei): the zh_CN screenshots show boxes" >&2
fi

make_work ferry-e2e-s3 data rgw clistate
rm -f "$SHOTS"/s3-*.png # this script's shots of an earlier run

private_user
# Without a session bus the keychain fails fast and the keys come from the environment.
unset DBUS_SESSION_BUS_ADDRESS AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL_S3 AWS_REGION \
    AWS_DEFAULT_REGION AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE

# --- 1. test files ------------------------------------------------------------------------------
STEP="generate files"
head -c $((3 * 1024 * 1024)) /dev/urandom >"$WORK/data/photo.jpg"
head -c $((5 * 1024 * 1024 + 123)) /dev/urandom >"$WORK/data/report.pdf"
printf 'Ferry S3 notes\n' >"$WORK/data/notes.txt"
head -c $((2 * 1024 * 1024 + 7)) /dev/urandom >"$WORK/data/upload.dat" # sorts after report.pdf

# --- 2. the S3 server -------------------------------------------------------------------------
STEP="start the Ceph cluster"
"$RGW_CLUSTER" start "$WORK/rgw" >"$WORK/rgw.env" 2>"$WORK/rgw-start.log" \
    || fail "the Ceph cluster did not start: $(tail -n 20 "$WORK/rgw-start.log")"
# Its daemons, ended by the cleanup like the other servers (the gateway first).
for daemon in mon osd rgw; do PIDS+=("$(cat "$WORK/rgw/run/$daemon.pid")"); done
ENDPOINT=$(sed -n 's/^endpoint=//p' "$WORK/rgw.env")
AWS_ACCESS_KEY_ID=$(sed -n 's/^access_key=//p' "$WORK/rgw.env")
AWS_SECRET_ACCESS_KEY=$(sed -n 's/^secret_key=//p' "$WORK/rgw.env")
export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
log "Ceph RGW at $ENDPOINT"
STEP="create the bucket"
"$AWS" --endpoint-url "$ENDPOINT" --region us-east-1 s3api create-bucket --bucket "$BUCKET" >"$WORK/aws.log" 2>&1 \
    || fail "aws s3api create-bucket failed: $(tail -n 3 "$WORK/aws.log")"

STEP="upload the objects with ferry-cli"
s3cli() { timeout 60 "$CLI" --state-dir "$WORK/clistate" "$@" --endpoint "$ENDPOINT" --path-style; }
for f in photo.jpg report.pdf notes.txt; do
    s3cli s3 put "$WORK/data/$f" "s3://$BUCKET/docs/" >>"$WORK/cli.log" 2>&1 \
        || fail "ferry-cli s3 put $f failed: $(tail -n 3 "$WORK/cli.log")"
done
s3cli s3 put "$WORK/data/notes.txt" "s3://$BUCKET/" >>"$WORK/cli.log" 2>&1 \
    || fail "ferry-cli s3 put notes.txt failed: $(tail -n 3 "$WORK/cli.log")"

# The account, as the account dialog saves it; its keys come from the environment.
write_settings() { # LANGUAGE [RATE LIMIT in bytes/s]
    {
        echo "[connections]"
        echo "globalRateLimit=${2:-0}"
        echo ""
        echo "[interface]"
        echo "language=$1"
        echo ""
        echo "[s3accounts]"
        echo "local\\name=Local S3"
        echo "local\\endpoint=$ENDPOINT"
        echo "local\\region=us-east-1"
        echo "local\\pathStyle=true"
        echo "local\\anonymous=false"
        echo "nextId=2"
    } >"$STATE/settings.ini"
}
write_settings en

# --- 3. X display and the app ---------------------------------------------------------------
start_xvfb 80 89

STEP="start ferry"
start_ferry
MAIN=$(wait_window '^Ferry$' 30)
# The whole screen, so that the screenshots show the window at 1280x800.
xdotool windowmove --sync "$MAIN" 0 0 >/dev/null 2>&1 || true
xdotool windowsize --sync "$MAIN" 1280 800 >/dev/null 2>&1 || true
sleep 1.5 # input sent while the window is still being laid out after the resize gets lost
log "main window $MAIN"

# completed_file PATTERN: prints the file of the completed download whose URL matches PATTERN
completed_file() {
    list_json | python3 -c '
import json, re, sys
for line in sys.stdin:
    if line.strip():
        d = json.loads(line)
        if re.search(sys.argv[1], d.get("url", "")) and d.get("state") == "completed":
            print(d.get("file", "")); break
' "$1"
}
has_sum() { [ -f "$1" ] && [ "$(sum "$1")" = "$2" ]; }

# Menus and combo box popups are windows of their own: counting the visible windows tells
# whether a click opened one. The first click after start-up is sometimes lost; it is retried.
visible_windows() { xdotool search --onlyvisible --class . 2>/dev/null | wc -l; }
more_windows_than() { [ "$(visible_windows)" -gt "$1" ]; }
popup_closed() { [ "$(visible_windows)" -le "$1" ]; }
# click_popup X Y WHAT [BUTTON]: clicks at X,Y until a popup opens (up to 5 tries)
click_popup() {
    local before try deadline
    before=$(visible_windows)
    for try in 1 2 3 4 5; do
        xdotool mousemove "$1" "$2"
        sleep 0.2
        xdotool click "${4:-1}"
        deadline=$((SECONDS + 2))
        while [ "$SECONDS" -lt "$deadline" ]; do
            more_windows_than "$before" && return 0
            sleep 0.1
        done
    done
    fail "clicking $3 at $1,$2 opened nothing"
}

# The layout the offsets below are measured in: a 1280x800 window with the S3 dock on the
# right (a first start, without a saved window state, shows it there: no Ctrl+B needed, and
# Ctrl+B would hide it), widened to start at x=700. Its separator is at x=957 by default in
# zh_CN and at x=908 in English; a press at the other place lands in an empty table, harmlessly.
widen_s3_dock() {
    local from x
    focus "$MAIN"
    for from in 957 908; do
        xdotool mousemove "$from" 400 mousedown 1
        for x in $(seq $((from - 20)) -40 700) 700; do xdotool mousemove "$x" 400; sleep 0.05; done
        xdotool mouseup 1
        sleep 0.3
    done
}
# Rows of the S3 table, 22 px apart, the first at y=208; x=760 is inside the Name column.
ROW1=208 ROW2=230 ROW3=252 ROW4=274 ROWX=760
pick_account() {
    local base
    base=$(visible_windows)
    click_popup 820 105 "the account combo box (is the S3 dock shown?)" # it opens on "Local S3"
    sleep 0.2
    xdotool key Return
    wait_until 5 "the account list closed" popup_closed "$base"
}
# open_row Y: opens the folder in that row with Return; waits for the listing to be painted
open_row() {
    xdotool mousemove $ROWX "$1" click 1
    xdotool key Return
    sleep 1.5 # the server answers in a few ms; this lets the listing be painted
}

# --- 4. Journey 1: browse ---------------------------------------------------------------------
STEP="1: browse to s3://$BUCKET/docs/"
widen_s3_dock
pick_account
# The only bucket opens by itself: "docs" (folders first) and notes.txt.
sleep 1.5
open_row $ROW1
shot s3-01-browse.png
log "1: browsed to docs/"

# --- 5. Journey 2: drag photo.jpg out onto the download list -------------------------------------
STEP="2: drag photo.jpg onto the download list"
# No click first: press and move, else the second press is a double-click (Properties).
xdotool mousemove $ROWX $ROW2 mousedown 1
sleep 0.1
for p in "755 232" "745 236" "720 242" "680 250" "600 265" "500 285" "420 300" "400 300"; do
    xdotool mousemove $p
    sleep 0.08
done
sleep 0.2
xdotool mouseup 1
SUM_PHOTO=$(sum "$WORK/data/photo.jpg")
wait_until 30 "photo.jpg is downloaded to $DL with the right sha256" has_sum "$DL/photo.jpg" "$SUM_PHOTO"
sleep 0.3
shot s3-02-dragged.png
log "2: photo.jpg dragged out, sha256 matches"

# --- 6. Journey 3: share link, pasted into the add dialog -------------------------------------
STEP="3: Copy Share Link… from the context menu"
click_popup $ROWX $ROW3 "report.pdf for its context menu" 3
sleep 0.2
xdotool key s # Copy &Share Link…
SHARE=$(wait_window 'Share Link' 10)
focus "$SHARE"
xdotool key Down # Valid for: 1 hour → 1 day
sleep 0.3
shot s3-03-share.png
xdotool key --clearmodifiers alt+c # &Copy Link
sleep 0.3
xdotool key Escape
wait_until 10 "the share dialog closed" no_window 'Share Link'

STEP="3: Ctrl+V opens the add dialog with the link"
focus "$MAIN"
xdotool key --clearmodifiers ctrl+v
DLG=$(wait_window 'Add Downloads' 20)
sleep 1.5 # the probe of the presigned URL
shot s3-04-add-link.png
focus "$DLG"
xdotool key --clearmodifiers alt+s # Start Now
wait_until 10 "the add dialog closed" no_window 'Add Downloads'
SUM_REPORT=$(sum "$WORK/data/report.pdf")
presigned_done() { [ -n "$(completed_file "/$BUCKET/docs/report\.pdf\?.*X-Amz-Expires=86400.*X-Amz-Signature=")" ]; }
wait_until 30 "the download of the presigned URL completed" presigned_done
REPORT_FILE=$(completed_file "/$BUCKET/docs/report\.pdf\?.*X-Amz-Expires=86400.*X-Amz-Signature=")
case "$REPORT_FILE" in /*) ;; *) REPORT_FILE="$DL/$REPORT_FILE" ;; esac
has_sum "$REPORT_FILE" "$SUM_REPORT" || fail "sha256 of $REPORT_FILE is not that of report.pdf"
sleep 0.3
shot s3-05-link-downloaded.png
log "3: report.pdf downloaded through the share link, sha256 matches"

# --- 7. Journey 4: Download as ZIP ------------------------------------------------------------
# zip_has ZIP NAME=SHA256...: the archive passes `unzip -t` and holds exactly these files (by base
# name; folders aside) with these sha256s
zip_has() {
    local zip=$1
    shift
    unzip -tq "$zip" >"$WORK/unzip.log" 2>&1 || fail "unzip -t $zip: $(tail -n 3 "$WORK/unzip.log")"
    python3 - "$zip" "$@" <<'PY' || fail "the entries of $zip are not the uploaded objects"
import hashlib, posixpath, sys, zipfile
want = dict(arg.split("=", 1) for arg in sys.argv[2:])
with zipfile.ZipFile(sys.argv[1]) as z:
    got = {posixpath.basename(i.filename): hashlib.sha256(z.read(i)).hexdigest()
           for i in z.infolist() if not i.is_dir()}
if got != want:
    print("entries:", sorted(got), "expected:", sorted(want), file=sys.stderr)
    for name in sorted(set(got) & set(want)):
        if got[name] != want[name]:
            print(name, "has sha256", got[name], "expected", want[name], file=sys.stderr)
    sys.exit(1)
PY
}
SUM_NOTES=$(sum "$WORK/data/notes.txt")
EXPECTED=("notes.txt=$SUM_NOTES" "photo.jpg=$SUM_PHOTO" "report.pdf=$SUM_REPORT")
# select_folder: notes.txt, photo.jpg and report.pdf, with Shift+click
select_folder() {
    focus "$MAIN"
    xdotool mousemove $ROWX $ROW1 click 1
    sleep 0.6 # not a double-click
    xdotool keydown shift mousemove $ROWX $ROW3 click 1 keyup shift
    sleep 0.2
}

STEP="4: Download as ZIP… from the context menu"
select_folder
click_popup $ROWX $ROW2 "the selection for its context menu" 3
sleep 0.2
xdotool key z # Download as &ZIP…
ZIPDLG=$(wait_window '^Download as ZIP$' 10)
focus "$ZIPDLG"
sleep 0.3
shot s3-06-zip-dialog.png
xdotool key Return # Download, to the default $HOME/Downloads/docs.zip
wait_until 10 "the Download as ZIP dialog closed" no_window '^Download as ZIP$'
STEP="4: the ZIP archive"
wait_until 60 "$DL/docs.zip was written" test -f "$DL/docs.zip"
zip_has "$DL/docs.zip" "${EXPECTED[@]}"
sleep 0.3
shot s3-07-zip-downloaded.png
log "4: docs.zip downloaded, unzip -t passes, the entries' sha256s match"

# --- 8. Journey 5: Bundle into Bucket, its link pasted into the add dialog ----------------------
STEP="5: Bundle into Bucket… from the context menu"
select_folder
click_popup $ROWX $ROW2 "the selection for its context menu" 3
sleep 0.2
xdotool key b # &Bundle into Bucket…
BUNDLEDLG=$(wait_window '^Bundle into Bucket$' 10)
focus "$BUNDLEDLG"
sleep 0.3
shot s3-08-bundle-dialog.png
xdotool key Return # Bundle: s3://media/docs/docs.zip, link valid for 1 hour
wait_until 10 "the Bundle into Bucket dialog closed" no_window '^Bundle into Bucket$'
STEP="5: the bundle job completes with a share link"
# bundle_link: prints the presigned link in the message of the completed bundle job
bundle_link() {
    list_json | python3 -c '
import json, re, sys
for line in sys.stdin:
    if line.strip():
        d = json.loads(line)
        m = re.search(r"https?://\S*/" + sys.argv[1] + r"/docs/docs\.zip\?\S*X-Amz-Signature=\S+", d.get("message", ""))
        if m and d.get("state") == "completed":
            print(m.group(0)); break
' "$BUCKET"
}
has_bundle_link() { [ -n "$(bundle_link)" ]; }
wait_until 60 "the bundle job completed with a share link in its message" has_bundle_link
LINK=$(bundle_link)
# The panel puts the link on the clipboard when it sees the job complete; read it back where
# Tk is available, so that Ctrl+V is not sent before.
if /usr/bin/python3 -c 'import tkinter' 2>/dev/null; then
    clipboard_has_link() {
        [ "$(timeout 5 /usr/bin/python3 -c '
import tkinter
r = tkinter.Tk(); r.withdraw()
try:
    print(r.clipboard_get())
except tkinter.TclError:
    pass
' 2>/dev/null)" = "$LINK" ]
    }
    wait_until 10 "the share link is on the clipboard" clipboard_has_link
fi
sleep 0.3
shot s3-09-bundle-link-copied.png

STEP="5: Ctrl+V opens the add dialog with the bundle's link"
focus "$MAIN"
xdotool key --clearmodifiers ctrl+v
DLG=$(wait_window 'Add Downloads' 20)
sleep 1.5 # the probe of the presigned URL
focus "$DLG"
xdotool key --clearmodifiers alt+s # Start Now
wait_until 10 "the add dialog closed" no_window 'Add Downloads'
BUNDLE_URL_RE="/$BUCKET/docs/docs\.zip\?.*X-Amz-Signature="
bundle_done() { [ -n "$(completed_file "$BUNDLE_URL_RE")" ]; }
wait_until 30 "the download of the bundle's link completed" bundle_done
BUNDLE_FILE=$(completed_file "$BUNDLE_URL_RE")
case "$BUNDLE_FILE" in /*) ;; *) BUNDLE_FILE="$DL/$BUNDLE_FILE" ;; esac
zip_has "$BUNDLE_FILE" "${EXPECTED[@]}"
log "5: the bundle's link was copied, pasted and downloaded; unzip -t passes, sha256s match"

# --- 9. Journey 6: drag a local file from another program onto the S3 table -------------------
STEP="6: drag upload.dat from the drag source onto the S3 table"
"$DRAGSOURCE" "$WORK/data/upload.dat" >"$WORK/dragsource.log" 2>&1 &
DRAG_PID=$!
PIDS+=("$DRAG_PID")
DRAGWIN=""
deadline=$((SECONDS + 20))
until DRAGWIN=$(find_window '^Ferry drag source$') && [ -n "$DRAGWIN" ]; do
    kill -0 "$DRAG_PID" 2>/dev/null || fail "the drag source exited: $(cat "$WORK/dragsource.log")"
    [ "$SECONDS" -lt "$deadline" ] || fail "no drag source window after 20 s"
    sleep 0.2
done
sleep 0.5 # let it be painted and take input
# Its label spans 20..260 x 680..760 (it places itself); the S3 table's empty area is below the rows.
xdotool mousemove 140 720 mousedown 1
sleep 0.1
for p in "150 715" "170 705" "250 650" "400 560" "550 450" "680 380" "740 350" "760 345"; do
    xdotool mousemove $p
    sleep 0.08
done
sleep 0.3
shot s3-10-drag-in.png
xdotool mousemove 762 346
sleep 0.2
xdotool mouseup 1
dropped() { grep -q '^drop action:' "$WORK/dragsource.log"; }
wait_until 15 "the drag ended after the button release" dropped
grep -q '^drop action: 1$' "$WORK/dragsource.log" \
    || fail "the S3 panel did not take the drop as a copy: $(cat "$WORK/dragsource.log")"
STEP="6: the upload of upload.dat"
upload_done() {
    list_json | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin if l.strip()]
sys.exit(0 if any(r.get("kind") == "upload" and r.get("state") == "completed"
                  and "upload.dat" in r.get("url", "") + r.get("file", "") for r in rows) else 1)'
}
wait_until 60 "the upload of upload.dat completed" upload_done
mkdir -p "$WORK/fetched"
s3cli s3 get "s3://$BUCKET/docs/upload.dat" "$WORK/fetched/" >>"$WORK/cli.log" 2>&1 \
    || fail "ferry-cli s3 get upload.dat failed: $(tail -n 3 "$WORK/cli.log")"
has_sum "$WORK/fetched/upload.dat" "$(sum "$WORK/data/upload.dat")" \
    || fail "s3://$BUCKET/docs/upload.dat does not have the sha256 of the dropped file"
kill "$DRAG_PID" 2>/dev/null || true # it serves the dropped data until then
sleep 1 # the panel lists the folder again after an upload
shot s3-11-dragged-in.png
log "6: upload.dat dropped onto the S3 table, uploaded; s3 get gives the same sha256"

# --- 10. Journey 6b: Show Contents of docs.zip, two entries taken; Unfinished Uploads ----------
STEP="6b: Show Contents… of docs.zip from the context menu"
# docs/ now holds docs.zip, notes.txt, photo.jpg, report.pdf and upload.dat, in that order.
# The panel's note about the share link (journey 5) pushes the rows down: it is closed with
# its ×; without it the click lands in the filter field, harmlessly.
focus "$MAIN"
xdotool mousemove 1261 166 click 1
sleep 0.5
xdotool mousemove $ROWX $ROW1 click 1
sleep 0.6 # not a double-click
click_popup $ROWX $ROW1 "docs.zip for its context menu" 3
sleep 0.2
xdotool key e # Show Cont&ents…
CONTENTS=$(wait_window '^Contents of docs.zip$' 10)
sleep 1.5 # the listing: a HEAD and one ranged GET; this lets the tree be painted
focus "$CONTENTS"
# The tree has the focus once it is filled: notes.txt, photo.jpg, report.pdf.
xdotool key --clearmodifiers Home space Down Down space
sleep 0.3
shot s3-11b-zip-contents.png
xdotool key --clearmodifiers alt+s ctrl+a
xdotool type --delay 2 "$WORK/entries"
xdotool key --clearmodifiers alt+d
wait_until 10 "the contents window closed" no_window '^Contents of docs.zip$'
STEP="6b: notes.txt and report.pdf taken out of docs.zip"
wait_until 30 "notes.txt arrived from the archive" has_sum "$WORK/entries/notes.txt" "$SUM_NOTES"
wait_until 30 "report.pdf arrived from the archive" has_sum "$WORK/entries/report.pdf" "$SUM_REPORT"
[ ! -e "$WORK/entries/photo.jpg" ] || fail "photo.jpg was taken out of the archive though it was not ticked"
log "6b: two entries of s3://$BUCKET/docs/docs.zip downloaded by their ranges, sha256s match"
STEP="6b: Unfinished Uploads… from the context menu"
# One started by another program and left unfinished, for the window to show.
timeout 30 "$AWS" --endpoint-url "$ENDPOINT" --region us-east-1 s3api create-multipart-upload \
    --bucket "$BUCKET" --key docs/left-over.iso >>"$WORK/aws.log" 2>&1 \
    || fail "aws s3api create-multipart-upload failed: $(tail -n 3 "$WORK/aws.log")"
focus "$MAIN"
click_popup $ROWX $ROW1 "docs.zip for its context menu" 3
sleep 0.2
xdotool key n # U&nfinished Uploads…
UNFINISHED=$(wait_window "^Unfinished Uploads in $BUCKET\$" 10)
sleep 1 # the list comes from the server
shot s3-11c-unfinished-uploads.png
focus "$UNFINISHED"
xdotool key Escape
wait_until 5 "the Unfinished Uploads window closed" no_window "^Unfinished Uploads in $BUCKET\$"

# --- 11. zh_CN ---------------------------------------------------------------------------------
STEP="7: quit"
quit_ferry
STEP="7: restart in zh_CN"
# A fresh state and an empty Downloads folder; a speed limit keeps two downloads in flight
# for the screenshot of the main window.
STATE="$WORK/state-zh_CN"
mkdir -p "$STATE"
rm -f "$DL"/*
write_settings zh_CN $((1024 * 1024))
start_ferry
MAIN=$(wait_window '^Ferry$' 30)
xdotool windowmove --sync "$MAIN" 0 0 >/dev/null 2>&1 || true
xdotool windowsize --sync "$MAIN" 1280 800 >/dev/null 2>&1 || true
sleep 1.5 # see above
widen_s3_dock
pick_account
sleep 1.5
open_row $ROW1

STEP="7: download photo.jpg and report.pdf from the context menu"
# docs/ now holds docs.zip, notes.txt, photo.jpg, report.pdf and upload.dat, in that order.
xdotool mousemove $ROWX $ROW3 click 1
sleep 0.6 # not a double-click
xdotool keydown shift mousemove $ROWX $ROW4 click 1 keyup shift
click_popup $ROWX $ROW4 "the selection for its context menu" 3
sleep 0.2
xdotool key Down Return # the first item: Download
in_flight() {
    list_json | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin if l.strip()]
sys.exit(0 if len(rows) == 2 and all(r["state"] == "running" and int(r.get("done") or 0) > 0 for r in rows) else 1)'
}
wait_until 20 "both objects are downloading" in_flight

STEP="7: screenshots in zh_CN"
focus "$MAIN"
xdotool key --clearmodifiers ctrl+b # hides the S3 dock
sleep 0.3
xdotool mousemove 300 137 click 1 # the top row: the details pane shows it
sleep 1
shot s3-12-main-window-zh_CN.png
focus "$MAIN"
xdotool key --clearmodifiers ctrl+b # shows it again
sleep 1
shot s3-13-s3-browser-zh_CN.png
STEP="7: Unfinished Uploads in zh_CN"
focus "$MAIN"
click_popup $ROWX $ROW1 "docs.zip for its context menu" 3
sleep 0.2
xdotool key n # 未完成的上传(&N)…
UNFINISHED=$(wait_window "^$BUCKET 中未完成的上传\$" 10)
sleep 1 # the list comes from the server
shot s3-14-unfinished-uploads-zh_CN.png
focus "$UNFINISHED"
xdotool key Escape
wait_until 5 "the Unfinished Uploads window closed" no_window "^$BUCKET 中未完成的上传\$"
wait_until 30 "photo.jpg is downloaded with the right sha256" has_sum "$DL/photo.jpg" "$SUM_PHOTO"
wait_until 30 "report.pdf is downloaded with the right sha256" has_sum "$DL/report.pdf" "$SUM_REPORT"
log "7: zh_CN screenshots taken; both objects downloaded from the context menu, sha256 matches"
quit_ferry
passed
