#pragma once

#include "storage/storedrecord.h"

#include <QObject>
#include <QThread>
#include <atomic>
#include <memory>
#include <optional>

namespace ferry {

class PartFile;
class StorageWorker;

// Facade over the single SQLite connection that writes. The connection and every query run on
// the storage thread owned by this object; the facade itself belongs to the thread that made it.
// Blocking calls are used only where the caller must know the outcome before going on (open,
// load, insert: a download's row exists before its first byte is written).
class Storage final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Storage)
public:
    explicit Storage(const QString &databasePath, QObject *parent = nullptr);
    ~Storage() override;

    bool open(QString *error);
    QString path() const { return m_path; }

    QList<StoredDownload> loadAll();
    // The row as it is in the database now (another process may have changed it), or none
    // when it was removed.
    std::optional<StoredDownload> load(DownloadId id);
    DownloadId insert(const StoredDownload &download);
    // Writes the row. Segments that claim bytes are written only together with a successful
    // fdatasync of `syncFirst`, so the database never claims bytes the disk does not have.
    // `pending` (optional) is decremented when the save has run.
    void save(const StoredDownload &download, std::shared_ptr<PartFile> syncFirst = {},
              std::shared_ptr<std::atomic_int> pending = {});
    void remove(DownloadId id);
    // Parts of a multipart upload, recorded as the server confirms them.
    void savePart(DownloadId id, const UploadedPart &part);
    void clearParts(DownloadId id);
    void flush();

    static constexpr int schemaVersion = 3;

private:
    QString m_path;
    QThread m_thread;
    StorageWorker *m_worker = nullptr;
};

} // namespace ferry
