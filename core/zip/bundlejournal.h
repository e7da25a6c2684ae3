#pragma once

#include "engine/partfile.h"
#include "zip/bundleselection.h"
#include "zip/zipwriter.h"

#include <QCoreApplication>
#include <QFile>
#include <QList>
#include <QSet>
#include <QString>

#include <optional>

namespace ferry::zip {

// What a bundle needs to continue after a pause, a crash or a power cut, in an append-only
// file of JSON lines in Ferry's state folder (one per bundle):
// - the plan, written once after listing: the objects in archive order with the ETags they had
//   then (a resumed bundle never lists again, so its entries and their order stay the same, and
//   every GET asks for those versions) and the sizes that decide where restart points fall;
// - the upload id of a bucket bundle, before its first part is sent;
// - one line per finished entry (what the central directory needs) and per left-out object;
// - checkpoints: where the archive can continue from (an entry boundary or a restart point
//   inside an entry), with the archive offset and how far the input got.
// - last, the finished archive's final name, size and file identity, just before a local
//   archive takes that name.
// A checkpoint is valid once the archive bytes before it are durable (the local .part synced,
// or the upload's parts confirmed) and the journal was synced after it; the transfer's row
// records how many journal bytes are valid, and everything after that is cut off on resume.
//
// Holds no secret. Not thread-safe: used by the thread that writes the archive.
class BundleJournal final
{
    Q_DECLARE_TR_FUNCTIONS(ferry::zip::BundleJournal)
    Q_DISABLE_COPY_MOVE(BundleJournal)
public:
    struct Plan {
        qint64 chunkSize = 0;       // objects are fetched in ranges of this size
        qint64 restartInterval = 0; // ZipWriter::setRestartInterval
        qint64 partSize = 0;        // of a bucket bundle's upload; 0 for a local file
        QList<BundleItem> items;
    };
    struct Checkpoint {
        qint64 position = 0;  // archive bytes before this point
        int item = 0;         // the entry being written (or next) ...
        int chunk = 0;        // ... and the chunk of it to fetch next
        std::optional<ZipWriter::OpenEntry> open;
        qint64 bytesDone = 0; // input archived so far
        int entriesDone = 0;
        int records = 0;      // entries finished before this point
        qint64 journalEnd = 0; // journal bytes up to and including this checkpoint (when read)
    };
    struct Contents {
        Plan plan;
        QString uploadId;
        qint64 uploadLineEnd = 0; // journal bytes up to and including the upload id
        QList<ZipWriter::Record> records;
        QSet<int> skipped;
        QList<Checkpoint> checkpoints; // in order; the first is the start of the archive
    };

    // A local archive about to take its final name. Written (synced) before the rename, so a
    // run whose end was never recorded (a pause that raced it, a crash right after the rename)
    // is recognised as finished on the next start: the file there is still this one.
    struct Completion {
        QString path;
        qint64 size = -1;
        PartFile::Identity identity;
    };

    explicit BundleJournal(const QString &path);
    ~BundleJournal();

    // Starts a new journal with the plan, synced.
    bool create(const Plan &plan);
    // Reads the first `validBytes` bytes (a line cut off there is ignored) and keeps appending
    // from there.
    bool open(qint64 validBytes, Contents *contents);

    // Drops everything after `bytes` (a checkpoint's journalEnd), to continue from there.
    bool truncate(qint64 bytes);
    bool appendUpload(const QString &uploadId);
    // The central directory record of entry number `index` (0-based, in archive order); a
    // line for an index already recorded replaces it (a checkpoint may be written after lines
    // of entries that finished while the archive was being synced).
    bool appendRecord(int index, const ZipWriter::Record &record);
    bool appendSkipped(int item);
    bool appendCheckpoint(const Checkpoint &checkpoint);
    // Nothing is appended after it.
    bool appendCompletion(const Completion &completion);
    // The completion that ends the journal at `path`, if its last line is one (whatever the
    // record says is valid: it is written after the last checkpoint).
    static std::optional<Completion> completionIn(const QString &path);
    // Everything appended so far reaches the disk.
    bool sync();
    qint64 size() const { return m_size; }
    QString path() const { return m_file.fileName(); }
    QString errorString() const { return m_error; }

private:
    bool append(const QByteArray &line);
    bool fail(const QString &message);

    QFile m_file;
    qint64 m_size = 0;
    QString m_error;
};

} // namespace ferry::zip
