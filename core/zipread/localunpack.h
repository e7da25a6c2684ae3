#pragma once

#include "engine/partfile.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>

class QIODevice;

namespace ferry::zipread {

// How unpacking a local archive ended.
struct UnpackOutcome
{
    enum class Kind {
        Extracted, // every entry that can be extracted is in the folder (see `refused`)
        NotZip,    // the file has no end-of-central-directory record: not a ZIP archive
        Failed,    // damaged, unreadable or not writable: `error` says why; the folder is gone
        Cancelled, // stopped on request; the folder (if made) is left for the caller to remove
        NotOurs,   // the file at the path is not the one expected (replaced): nothing was read
    };
    Kind kind = Kind::Failed;
    int files = 0;
    int folders = 0;
    qint64 bytes = 0;    // uncompressed bytes written
    QStringList refused; // entries left out (encrypted, links, other methods), with the reason
    QString error;       // a sentence for people, when kind is Failed
};

// Unpacks a whole local ZIP archive into a folder that must not exist yet, with the rules of
// every extraction in Ferry (ZipReader and ZipExtractor: no way out of the folder, safe and
// unique names, refused entries named with their reason). Blocking: it runs on a worker thread;
// `cancel` may be set from any thread and stops it within one read of the archive. On any
// outcome but Extracted and Cancelled the folder is removed again, so nothing half-written stays
// behind; a cancelled one is the caller's to remove (it may not have the time to wait for that).
class LocalUnpack final
{
    Q_DECLARE_TR_FUNCTIONS(ferry::zipread::LocalUnpack)
public:
    // Lines for the download's log (from the worker thread).
    using Log = std::function<void(const QString &line)>;

    // When `expected` is known, the file opened must be that very file (device and inode, kept
    // by a rename): a file that has taken the name since is left alone.
    static UnpackOutcome run(const QString &archivePath, const QString &folder,
                             const std::atomic_bool &cancel, const Log &log = {},
                             PartFile::Identity expected = {});

    // `text` as a sentence of its own: with a final period when it has no final punctuation.
    static QString sentence(const QString &text);

    // Whether the device ends in a valid end-of-central-directory record (its comment length
    // reaching exactly the end, its central directory before it): the bytes say ZIP, whatever
    // the name says. Reads at most the last 65,557 bytes.
    static bool hasEndRecord(QIODevice *device);
};

} // namespace ferry::zipread
