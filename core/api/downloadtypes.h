#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>
#include <QUrl>

#include <optional>

namespace ferry {

using DownloadId = qint64;
using HeaderList = QList<QPair<QByteArray, QByteArray>>;

enum class DownloadState {
    Queued = 0,      // waiting for a free slot
    Downloading = 1, // probing, transferring or retrying
    Verifying = 2,   // size / checksum check and rename
    Paused = 3,
    Completed = 4,
    Failed = 5,
};

QString stateName(DownloadState state);

// What a line of the transfer list does.
enum class TransferKind {
    Download = 0,   // HTTP(S) or S3 object into a local file
    Upload = 1,     // local file into an S3 object
    ZipLocal = 2,   // S3 objects bundled into a local ZIP file
    ZipBucket = 3,  // S3 objects bundled into a ZIP streamed into a bucket
};

// What happens when the server's copy changes while a download is under way.
enum class ChangedFilePolicy { Restart, Fail };

// What removing a transfer does with the files it made: partial files always go; a finished
// one is kept, moved to the desktop's trash, or deleted for good.
enum class FileRemoval { Keep, Trash, Delete };

// Unpacking a finished download that is a ZIP archive into a folder named after it
// (DownloadRequest::extractArchive).
enum class ExtractState {
    None = 0,   // not asked for
    Waiting,    // asked for: starts once the download completes, or again after an interruption
    Running,    // this process unpacks it now
    Done,       // the folder is there (the message names it)
    Failed,     // damaged, unreadable, no room: the message says why; the archive is kept
    NotArchive, // the file is not a ZIP archive; nothing was unpacked
};

// An entry of a remote ZIP archive fetched as a download of its own: the file transferred is the
// span of the archive from the entry's local header to the next one (its .part), decoded into
// the entry's file at the end. The archive's size and validators are those its listing saw;
// every answer must match them, so entries of another version of the archive are never mixed in.
struct ZipEntrySpan {
    qint64 offset = 0;       // of the span (the entry's local header) in the archive
    qint64 length = 0;       // of the span
    qint64 archiveSize = -1;
    QByteArray etag;         // the archive's strong ETag, or empty
    QByteArray lastModified; // the archive's Last-Modified, or empty
    QString name;            // as listed from the central directory
    int nameBytes = 0;
    QByteArray rawName;      // the name's bytes in the central directory (empty: not known)
    int method = 0;          // 0 stored, 8 deflated
    quint32 crc = 0;
    qint64 size = 0;         // uncompressed
    qint64 packedSize = 0;
    QDateTime modified;
    // The file the entry is decoded into before it gets its final name, once created: only that
    // very file is ever removed or taken as the finished entry (0: none created yet).
    quint64 decodedDevice = 0;
    quint64 decodedInode = 0;
};

// Everything a caller can ask for when adding a download. Adding a URL that already has an
// unfinished download in the same folder carries on with that one: what the request gives
// replaces its stored value, what it leaves unset (or empty) keeps it.
struct DownloadRequest {
    QUrl url;
    QString directory;      // target folder; must exist
    QString fileName;       // optional; otherwise from the server / URL
    std::optional<int> connections; // 1..32; a new download gets 8 when unset
    std::optional<qint64> rateLimit; // bytes per second, 0 = unlimited (also when unset)
    QString checksum;       // optional "sha256=HEX" (md5, sha1, sha256, sha512)
    HeaderList headers;     // custom headers, cookies, Authorization
    int priority = 0;       // higher first
    bool startPaused = false;
    // Ahead of every unfinished download (the user asked to start it now): it takes the next
    // free slot instead of waiting its turn.
    bool queueFront = false;
    // A second download even when the same URL is unfinished in the same folder (the user
    // asked for another copy): it gets a name of its own instead of carrying on with that one.
    bool evenIfPresent = false;
    // S3 objects: the account whose credentials sign each request (kept in memory by the
    // manager's signer factory for that account) and the object's s3:// URI.
    QString account;
    QString source;
    // What a probe before adding found out (the add dialog's), shown until the download's own
    // probe confirms or corrects it. The name is used only when `fileName` is empty.
    QString probedName;
    qint64 probedSize = -1;
    bool probedResumable = false;
    // Unpack the file into a folder named after it once it completes, when it is a ZIP
    // archive; afterwards the archive goes to the desktop's trash when `trashArchive` is set.
    std::optional<bool> extractArchive;
    bool trashArchive = false;
    // Set for an entry of a remote ZIP archive (see ZipEntrySpan); `url` is the archive's.
    std::optional<ZipEntrySpan> zipEntry;
};

struct SegmentSnapshot {
    qint64 start = 0;
    qint64 end = 0;   // exclusive, -1 while the length is unknown
    qint64 done = 0;  // bytes from start that are on disk
    bool active = false;
    qint64 speed = 0; // of the connection working on it, bytes per second
};

// One line of a download's history: retries, errors with their reasons, restarts.
struct DownloadEvent {
    QDateTime time;
    QString text;
};

// What a quick look at a URL found out, before anything is downloaded.
struct ProbeInfo {
    QUrl url;
    QUrl finalUrl;
    QString fileName;     // sanitized
    qint64 size = -1;
    bool resumable = false;
    QString error;        // empty when the probe succeeded
    int httpStatus = 0;   // the server's status when it answered with an error (404, 503…)
};

// A plain value the UI and the CLI render; it never points into the engine.
struct DownloadSnapshot {
    DownloadId id = 0;
    QUrl url;
    QUrl finalUrl;
    QString fileName;     // the name the file has, or will have
    QString directory;
    QString targetPath;   // final path once known
    qint64 total = -1;    // -1 when the server did not say
    qint64 done = 0;
    qint64 speed = 0;     // bytes per second, smoothed
    qint64 etaSeconds = -1;
    DownloadState state = DownloadState::Queued;
    bool resumable = false;
    int connections = 0;  // active connections
    int maxConnections = 8; // the most it may use, as given (1..32)
    int priority = 0;
    qint64 rateLimit = 0;
    QString message;      // the last error or a note ("server does not support resume")
    QByteArray etag;
    QString lastModified;
    QDateTime added;
    QList<SegmentSnapshot> segments;
    TransferKind kind = TransferKind::Download;
    QString source;       // s3:// URI of an S3 object (download source or upload target)
    QString archiveEntry; // the entry's name when this downloads one entry of a remote archive
    QString account;      // the S3 account of `source` (an id, not a secret)
    QString uploadId;     // uploads: the multipart upload on the server, while there is one
    int entriesDone = 0;  // bundles: objects written so far
    int entriesTotal = 0;
    ExtractState extract = ExtractState::None; // downloads of ZIP archives asked to be unpacked
};

} // namespace ferry

Q_DECLARE_METATYPE(ferry::DownloadSnapshot)
Q_DECLARE_METATYPE(ferry::ProbeInfo)
