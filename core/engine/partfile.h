#pragma once

#include <QString>
#include <QtGlobal>

namespace ferry {

// The single in-progress file of a download, written in place at absolute offsets.
// Thread-safe: pwrite() carries its own offset, so every connection thread writes directly
// without a shared file position or a lock; fdatasync() may run on the storage thread.
class PartFile final
{
    Q_DISABLE_COPY_MOVE(PartFile)
public:
    explicit PartFile(QString path);
    ~PartFile();

    // Opens (creating when missing, never truncating) and reserves `size` bytes when known.
    bool open(qint64 size, QString *error);
    // Resets to an empty file of `size` bytes (a changed file on the server restarts from zero).
    bool reset(qint64 size, QString *error);
    bool write(qint64 offset, const char *data, qint64 length, QString *error);
    bool dataSync();
    bool fullSync();
    void close();
    qint64 size() const;
    const QString &path() const { return m_path; }
    bool isOpen() const { return m_fd >= 0; }

    // Renames the finished file into place; fails rather than replacing an existing file.
    static bool renameNoReplace(const QString &from, const QString &to, QString *error);
    static QString describeErrno(int error);

private:
    bool reserve(qint64 size, QString *error);

    QString m_path;
    int m_fd = -1;
};

} // namespace ferry
