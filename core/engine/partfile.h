#pragma once

#include <QCoreApplication>
#include <QString>
#include <QtGlobal>

#include <functional>
#include <memory>
#include <optional>

namespace ferry {

// The single in-progress file of a download, written in place at absolute offsets.
// Thread-safe: pwrite() carries its own offset, so every connection thread writes directly
// without a shared file position or a lock; fdatasync() may run on the storage thread.
//
// A download only ever touches files it created itself. Creation is exclusive and never follows
// a symbolic link; the file's identity (device and inode, kept by a rename) is what later proves
// that a path still holds this download's file, so another download's file that has since taken
// the same name is neither written nor removed.
class PartFile final
{
    Q_DISABLE_COPY_MOVE(PartFile)
    Q_DECLARE_TR_FUNCTIONS(ferry::PartFile)
public:
    struct Identity {
        quint64 device = 0;
        quint64 inode = 0; // 0: not known (records from before identities were kept)
        bool isKnown() const { return inode != 0; }
    };

    explicit PartFile(QString path);
    ~PartFile();

    // Creates the file; fails with *nameTaken set when anything already has its name (a file,
    // a folder, a symbolic link even if dangling), so two creators never share one file.
    bool create(qint64 size, bool *nameTaken, QString *error);
    // Opens the existing file, never through a symbolic link, only if it is a regular file and,
    // when `expected` is known, the very file this download created. Never creates one.
    bool open(qint64 size, Identity expected, QString *error);
    // Empties the open file and reserves `size` bytes (a changed file on the server restarts
    // from zero).
    bool reset(qint64 size, QString *error);
    bool write(qint64 offset, const char *data, qint64 length, QString *error);
    bool dataSync();
    bool fullSync();
    void close();
    qint64 size() const;
    const QString &path() const { return m_path; }
    bool isOpen() const { return m_fd >= 0; }
    Identity identity() const { return m_identity; }

    // Creates "<first free name>.part" for `fileName` in `directory`. A name is free when
    // neither it nor its ".part" exists (dangling links count) and `taken` does not claim it;
    // a name created by someone else meanwhile only moves this on to the next one.
    static std::shared_ptr<PartFile> createUnique(const QString &directory, const QString &fileName,
                                                  const std::function<bool(const QString &)> &taken,
                                                  qint64 size, QString *error);
    // Whether anything has this name; unlike QFileInfo::exists(), a dangling link counts.
    static bool exists(const QString &path);
    // Whether `path` is a regular file (not a link) that is `expected`; any regular file when
    // `expected` is not known.
    static bool matches(const QString &path, Identity expected);
    // Removes `path` only if it matches `expected`; when that is not known, only if its size
    // is `sizeIfUnknown` (any size when none is given).
    static bool removeIfOwned(const QString &path, Identity expected,
                              std::optional<qint64> sizeIfUnknown = {});
    // Moves `path` to the desktop's trash (freedesktop.org) under the same rule. False when it
    // is not ours (`error` empty) or the trash refused it (`error` says why; the file stays).
    static bool trashIfOwned(const QString &path, Identity expected, std::optional<qint64> sizeIfUnknown,
                             QString *error);
    // Renames the finished file into place; fails rather than replacing an existing file.
    static bool renameNoReplace(const QString &from, const QString &to, QString *error);
    static QString describeErrno(int error);
    static QString suffix() { return QStringLiteral(".part"); }

private:
    bool reserve(qint64 size, QString *error);
    bool adopt(int fd, Identity expected, QString *error);

    QString m_path;
    int m_fd = -1;
    Identity m_identity;
};

} // namespace ferry
