#include "engine/partfile.h"

#include "engine/filenamesanitizer.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace ferry {

namespace {

// Each failure means someone created the chosen name meanwhile; the next choice skips it.
constexpr int MaxCreateAttempts = 100;

bool sameIdentity(const struct stat &st, PartFile::Identity id)
{
    return quint64(st.st_dev) == id.device && quint64(st.st_ino) == id.inode;
}

} // namespace

PartFile::PartFile(QString path) : m_path(std::move(path)) {}

PartFile::~PartFile()
{
    close();
}

QString PartFile::describeErrno(int error)
{
    switch (error) {
    case ENOSPC:
    case EDQUOT:
        return tr("the disk is full");
    case EACCES:
    case EPERM:
        return tr("permission denied");
    case ENOENT:
        return tr("the folder does not exist");
    case EROFS:
        return tr("the disk is read-only");
    case ELOOP:
        return tr("it is a symbolic link, which Ferry never follows");
    default:
        return QString::fromLocal8Bit(std::strerror(error));
    }
}

bool PartFile::create(qint64 size, bool *nameTaken, QString *error)
{
    close();
    *nameTaken = false;
    // O_EXCL fails on any existing name, a dangling link included, and never follows a link.
    const int fd = ::open(QFile::encodeName(m_path).constData(),
                          O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) {
        const int err = errno;
        *nameTaken = err == EEXIST;
        *error = describeErrno(err);
        return false;
    }
    if (adopt(fd, {}, error) && (size <= 0 || reserve(size, error)))
        return true;
    // An empty file nobody will use must not keep the name from the next download.
    const Identity created = m_identity;
    close();
    if (created.isKnown())
        removeIfOwned(m_path, created);
    return false;
}

bool PartFile::open(qint64 size, Identity expected, QString *error)
{
    close();
    const QByteArray path = QFile::encodeName(m_path);
    // Checked before opening as well: opening a device or a fifo can have effects of its own.
    struct stat st {};
    if (::lstat(path.constData(), &st) != 0) {
        *error = errno == ENOENT ? tr("the partial file is gone") : describeErrno(errno);
        return false;
    }
    if (S_ISLNK(st.st_mode)) {
        *error = describeErrno(ELOOP);
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        *error = tr("it is not a regular file");
        return false;
    }
    const int fd = ::open(path.constData(), O_RDWR | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        *error = describeErrno(errno);
        return false;
    }
    return adopt(fd, expected, error) && (size <= 0 || reserve(size, error));
}

bool PartFile::adopt(int fd, Identity expected, QString *error)
{
    // fstat on the descriptor is what counts: the name may have changed hands since lstat.
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        *error = tr("it is not a regular file");
    } else if (expected.isKnown() && !sameIdentity(st, expected)) {
        *error = tr("another file has taken its place, and it is left untouched");
    } else {
        m_fd = fd;
        m_identity = {quint64(st.st_dev), quint64(st.st_ino)};
        return true;
    }
    ::close(fd);
    return false;
}

bool PartFile::reset(qint64 size, QString *error)
{
    if (m_fd < 0) {
        *error = describeErrno(EBADF);
        return false;
    }
    if (::ftruncate(m_fd, 0) != 0) {
        *error = describeErrno(errno);
        return false;
    }
    return size <= 0 || reserve(size, error);
}

bool PartFile::reserve(qint64 size, QString *error)
{
    // fallocate claims the blocks up front (a full disk shows now, not at 97 %) without writing
    // zeros; where the filesystem cannot, a sparse file of the right size does the job.
    // posix_fallocate is avoided on purpose: its fallback writes every byte and stalls the start.
    struct stat st {};
    if (::fstat(m_fd, &st) == 0 && st.st_size == size)
        return true;
    if (::fallocate(m_fd, 0, 0, size) == 0)
        return true;
    const int err = errno;
    if (err == ENOSPC || err == EDQUOT) {
        *error = describeErrno(err);
        return false;
    }
    if (::ftruncate(m_fd, size) != 0) {
        *error = describeErrno(errno);
        return false;
    }
    return true;
}

bool PartFile::write(qint64 offset, const char *data, qint64 length, QString *error)
{
    while (length > 0) {
        const ssize_t n = ::pwrite(m_fd, data, size_t(length), offset);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            *error = describeErrno(errno);
            return false;
        }
        data += n;
        offset += n;
        length -= n;
    }
    return true;
}

bool PartFile::dataSync()
{
    return m_fd >= 0 && ::fdatasync(m_fd) == 0;
}

bool PartFile::fullSync()
{
    return m_fd >= 0 && ::fsync(m_fd) == 0;
}

void PartFile::close()
{
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
}

qint64 PartFile::size() const
{
    struct stat st {};
    return (m_fd >= 0 && ::fstat(m_fd, &st) == 0) ? qint64(st.st_size) : -1;
}

std::shared_ptr<PartFile> PartFile::createUnique(const QString &directory, const QString &fileName,
                                                 const std::function<bool(const QString &)> &taken,
                                                 qint64 size, QString *error)
{
    // Looking for a free name and creating it are two steps, and another process may create
    // the same name in between; O_EXCL makes the creation decide, so the loser takes the next.
    for (int attempt = 0; attempt < MaxCreateAttempts; ++attempt) {
        const QString target = uniqueFilePath(directory, fileName, [&](const QString &p) {
            return exists(p) || exists(p + suffix()) || (taken && taken(p));
        });
        if (target.isEmpty())
            break;
        auto file = std::make_shared<PartFile>(target + suffix());
        bool nameTaken = false;
        if (file->create(size, &nameTaken, error))
            return file;
        if (!nameTaken)
            return {};
    }
    *error = tr("no free file name is left for %1").arg(fileName);
    return {};
}

bool PartFile::exists(const QString &path)
{
    struct stat st {};
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0;
}

bool PartFile::matches(const QString &path, Identity expected)
{
    struct stat st {};
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0 && S_ISREG(st.st_mode) &&
           (!expected.isKnown() || sameIdentity(st, expected));
}

namespace {
bool ownedFile(const QByteArray &name, PartFile::Identity expected, std::optional<qint64> sizeIfUnknown)
{
    struct stat st {};
    if (::lstat(name.constData(), &st) != 0 || !S_ISREG(st.st_mode))
        return false;
    return expected.isKnown() ? sameIdentity(st, expected)
                              : (!sizeIfUnknown || qint64(st.st_size) == *sizeIfUnknown);
}
} // namespace

bool PartFile::removeIfOwned(const QString &path, Identity expected,
                             std::optional<qint64> sizeIfUnknown)
{
    const QByteArray name = QFile::encodeName(path);
    return ownedFile(name, expected, sizeIfUnknown) && ::unlink(name.constData()) == 0;
}

bool PartFile::trashIfOwned(const QString &path, Identity expected, std::optional<qint64> sizeIfUnknown,
                            QString *error)
{
    error->clear();
    if (!ownedFile(QFile::encodeName(path), expected, sizeIfUnknown))
        return false;
    // Qt looks for the home's trash only where the data folder ($XDG_DATA_HOME) exists; when
    // it does not, and the file's own volume has no trash either, Qt moves the file into
    // "files" under the working directory and calls that a success.
    QDir().mkpath(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation));
    QFile file(path);
    if (file.moveToTrash())
        return true;
    *error = file.errorString().isEmpty() ? tr("no trash is available for this folder") : file.errorString();
    return false;
}

bool PartFile::renameNoReplace(const QString &from, const QString &to, QString *error)
{
    // renameat2(RENAME_NOREPLACE) is atomic and refuses to clobber a file that appeared since
    // the name was chosen; link+unlink is the fallback for filesystems without it.
    const QByteArray a = QFile::encodeName(from);
    const QByteArray b = QFile::encodeName(to);
    if (::renameat2(AT_FDCWD, a.constData(), AT_FDCWD, b.constData(), RENAME_NOREPLACE) == 0)
        return true;
    int err = errno;
    if (err == EINVAL || err == ENOSYS) {
        if (::link(a.constData(), b.constData()) == 0) {
            ::unlink(a.constData());
            return true;
        }
        err = errno;
    }
    *error = describeErrno(err);
    return false;
}

} // namespace ferry
