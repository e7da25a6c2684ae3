#pragma once

#include "api/downloadtypes.h"
#include "engine/partfile.h"

#include <QCoreApplication>
#include <QObject>
#include <QString>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>

namespace ferry::zipread {

// Turns the downloaded span of an archive entry (local header, name, extra field, data) into the
// entry's content: the local header is checked against what the central directory said (name,
// method, sizes, CRC-32), the data is inflated (raw deflate) or copied (stored), and its length
// and CRC-32 are checked. The content goes to a file of its own, created exclusively and synced;
// on any failure that file is removed, so nothing half-decoded is ever left behind.
class EntryDecoder final
{
    Q_DECLARE_TR_FUNCTIONS(ferry::zipread::EntryDecoder)
public:
    struct Result
    {
        QString error;               // empty on success; a sentence for people
        // The span's bytes are not the entry the listing described (local header, sizes, CRC-32,
        // compressed data): fetching them again is the only way on. False for a read or write
        // error, a cancel, or an entry Ferry does not extract.
        bool damaged = false;
        PartFile::Identity identity; // of the decoded file
    };

    // Blocking: gigabytes take seconds, so it runs on a worker thread. `outPath` is the empty
    // file the caller created for it (createOutput()), `out` its identity: only that very file
    // is written, and on any failure it is removed. `cancel` set from another thread stops it
    // (the result then says so, and nothing is kept).
    static Result decode(const QString &spanPath, const ZipEntrySpan &entry, const QString &outPath,
                         PartFile::Identity out, const std::atomic_bool &cancel);
    // decode() on a thread of its own; `done` runs on `context`'s thread. The thread deletes
    // itself once finished and `done` was queued; whoever stops the decoding sets `cancel` and
    // waits for it (cancel is checked for every MiB, so that is short).
    static QThread *decodeAsync(const QString &spanPath, const ZipEntrySpan &entry,
                                const QString &outPath, PartFile::Identity out,
                                std::shared_ptr<std::atomic_bool> cancel, QObject *context,
                                std::function<void(const Result &)> done);
    // Creates the empty file `outPath` exclusively (never over anything that has its name).
    static bool createOutput(const QString &outPath, PartFile::Identity *identity, QString *error);
    // Where the entry is decoded before it gets its final name: next to its span's part file.
    static QString decodingPath(const QString &partPath);
};

} // namespace ferry::zipread
