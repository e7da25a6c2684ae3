#include "zip/localfilezipsink.h"

#include "engine/partfile.h"

#include <QDir>
#include <QFileInfo>

#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace ferry::zip {

LocalFileZipSink::LocalFileZipSink(const QString &finalPath)
    : m_finalPath(finalPath)
    , m_file(finalPath + u".part"_s)
{
}

LocalFileZipSink::~LocalFileZipSink()
{
    m_file.close();
    if (!m_committed && !m_keep)
        QFile::remove(m_file.fileName());
}

bool LocalFileZipSink::open()
{
    QDir().mkpath(QFileInfo(m_finalPath).absolutePath());
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return fail(tr("Could not create %1: %2").arg(m_file.fileName(), m_file.errorString()));
    m_position = 0;
    return true;
}

bool LocalFileZipSink::resume(qint64 position)
{
    if (!m_file.open(QIODevice::ReadWrite))
        return fail(tr("Could not open %1: %2").arg(m_file.fileName(), m_file.errorString()));
    if (m_file.size() < position)
        return fail(tr("%1 is shorter than its last checkpoint (%2 of %3 bytes).")
                        .arg(m_file.fileName()).arg(m_file.size()).arg(position));
    if (!m_file.resize(position) || !m_file.seek(position))
        return fail(tr("Could not write %1: %2").arg(m_file.fileName(), m_file.errorString()));
    m_position = position;
    return true;
}

bool LocalFileZipSink::sync()
{
    if (!m_file.isOpen() || !m_file.flush() || ::fdatasync(m_file.handle()) != 0)
        return fail(tr("Could not write %1: %2").arg(m_file.fileName(), m_file.errorString()));
    return true;
}

int LocalFileZipSink::flushedDuplicate()
{
    const int fd = m_file.isOpen() && m_file.flush() ? ::dup(m_file.handle()) : -1;
    if (fd < 0)
        fail(tr("Could not write %1: %2").arg(m_file.fileName(), m_file.errorString()));
    return fd;
}

PartFile::Identity LocalFileZipSink::identity() const
{
    struct stat st {};
    if (!m_file.isOpen() || ::fstat(m_file.handle(), &st) != 0)
        return {};
    return {quint64(st.st_dev), quint64(st.st_ino)};
}

bool LocalFileZipSink::write(QByteArrayView data)
{
    if (!m_file.isOpen())
        return fail(tr("The archive file is not open."));
    if (m_file.write(data.data(), data.size()) != data.size())
        return fail(tr("Could not write %1: %2").arg(m_file.fileName(), m_file.errorString()));
    m_position += data.size();
    return true;
}

bool LocalFileZipSink::patch(qint64 offset, QByteArrayView data)
{
    if (!m_file.isOpen() || offset < 0 || offset + data.size() > m_position)
        return fail(tr("Invalid write position in the archive file."));
    // QFile flushes its write buffer on seek, so the patch lands on top of the real bytes.
    const bool ok = m_file.seek(offset) && m_file.write(data.data(), data.size()) == data.size() &&
                    m_file.seek(m_position);
    if (!ok)
        return fail(tr("Could not write %1: %2").arg(m_file.fileName(), m_file.errorString()));
    return true;
}

bool LocalFileZipSink::commit()
{
    if (m_committed)
        return true;
    if (!m_file.isOpen())
        return fail(tr("The archive file is not open."));
    // The final name must only ever point at a complete archive, so the bytes reach the disk
    // before the rename makes them visible under it.
    if (!m_file.flush() || ::fsync(m_file.handle()) != 0)
        return fail(tr("Could not write %1: %2").arg(m_file.fileName(), m_file.errorString()));
    m_file.close();
    QString error;
    if (!PartFile::renameNoReplace(m_file.fileName(), m_finalPath, &error))
        return fail(tr("Could not rename %1 to %2: %3").arg(m_file.fileName(), m_finalPath, error));
    m_committed = true;
    return true;
}

bool LocalFileZipSink::fail(const QString &message)
{
    m_error = message;
    return false;
}

} // namespace ferry::zip
