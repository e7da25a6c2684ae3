#include "engine/partfile.h"

#include <QCoreApplication>
#include <QFile>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace ferry {

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
        return QCoreApplication::translate("ferry::PartFile", "the disk is full");
    case EACCES:
    case EPERM:
        return QCoreApplication::translate("ferry::PartFile", "permission denied");
    case ENOENT:
        return QCoreApplication::translate("ferry::PartFile", "the folder does not exist");
    case EROFS:
        return QCoreApplication::translate("ferry::PartFile", "the disk is read-only");
    default:
        return QString::fromLocal8Bit(std::strerror(error));
    }
}

bool PartFile::open(qint64 size, QString *error)
{
    close();
    m_fd = ::open(QFile::encodeName(m_path).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (m_fd < 0) {
        *error = describeErrno(errno);
        return false;
    }
    return size <= 0 || reserve(size, error);
}

bool PartFile::reset(qint64 size, QString *error)
{
    if (m_fd < 0 && !open(0, error))
        return false;
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
