#pragma once

#include "engine/partfile.h"
#include "zip/zipsink.h"

#include <QCoreApplication>
#include <QFile>

namespace ferry::zip {

// Writes an archive to "<finalPath>.part" and gives it its final name only in commit(), after
// the central directory was written and flushed to disk, so a half archive never has the final
// name. Destroying the sink without commit() deletes the .part unless keepPart() was called
// (a paused or interrupted bundle continues it from its last checkpoint: resume()). commit()
// never replaces an existing file.
//
// Not thread-safe; used from the thread that drives the ZipWriter.
class LocalFileZipSink final : public ZipSink
{
    Q_DECLARE_TR_FUNCTIONS(ferry::zip::LocalFileZipSink)
    Q_DISABLE_COPY_MOVE(LocalFileZipSink)

public:
    explicit LocalFileZipSink(const QString &finalPath);
    ~LocalFileZipSink() override;

    // Creates (or truncates) the .part file, creating missing parent directories.
    bool open();
    // Opens the existing .part and cuts it back to `position` (a checkpoint: everything before
    // it was synced); writing continues there.
    bool resume(qint64 position);
    // Everything written so far reaches the disk (fdatasync).
    bool sync();
    // Hands what was written to the system and returns a duplicate of the file's descriptor
    // (the caller closes it), to sync on another thread; -1 on error.
    int flushedDuplicate();
    // The .part stays when the sink is destroyed uncommitted.
    void keepPart() { m_keep = true; }

    // Flushes, fsyncs and renames the .part to the final name; false if the final name exists
    // or anything fails (the .part is then still removed on destruction).
    bool commit();

    // The open .part's device and inode, which it keeps under its final name.
    PartFile::Identity identity() const;

    QString finalPath() const { return m_finalPath; }
    QString partPath() const { return m_file.fileName(); }
    bool committed() const { return m_committed; }

    bool write(QByteArrayView data) override;
    bool seekable() const override { return true; }
    bool patch(qint64 offset, QByteArrayView data) override;
    qint64 position() const override { return m_position; }
    QString errorString() const override { return m_error; }

private:
    bool fail(const QString &message);

    QString m_finalPath;
    QFile m_file;
    qint64 m_position = 0;
    bool m_committed = false;
    bool m_keep = false;
    QString m_error;
};

} // namespace ferry::zip
