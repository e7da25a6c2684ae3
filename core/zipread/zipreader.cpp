#include "zipread/zipreader.h"

#include "zipread/remotezipdevice.h"

#include <quazip.h>
#include <quazipfileinfo.h>
#include <unzip.h>

#include <QIODevice>
#include <QtEndian>

using namespace Qt::StringLiterals;

namespace ferry::zipread {

namespace {

constexpr quint16 kFlagEncrypted = 0x0001;
constexpr quint16 kFlagStrongEncryption = 0x0040;
constexpr int kCentralHeaderSize = 46;
constexpr int kLocalHeaderSize = 30;
// A local header's extra field may be longer than the central one (Zip64 sizes, time stamps);
// this much more is fetched with it before its real length is known.
constexpr int kLocalExtraSlack = 32;
constexpr qint64 kCopyBuffer = 256 * 1024;

} // namespace

QString ZipEntry::refusal() const
{
    if (directory)
        return {};
    if (encrypted)
        return ZipReader::tr("“%1” is encrypted; Ferry does not extract encrypted entries.")
            .arg(name);
    if (symlink)
        return ZipReader::tr("“%1” is a symbolic link; links are not extracted.").arg(name);
    if (method != 0 && method != 8)
        return ZipReader::tr(
                   "“%1” uses the compression method %2, which Ferry cannot unpack (only stored "
                   "and deflated entries).")
            .arg(name, ZipReader::methodName(method));
    return {};
}

ZipReader::ZipReader(QIODevice *device) : m_device(device)
{
}

ZipReader::~ZipReader()
{
    if (m_zip)
        m_zip->close();
}

QString ZipReader::methodName(int method)
{
    switch (method) {
    case 0:
        return tr("stored");
    case 8:
        return tr("deflated");
    case 9:
        return u"Deflate64"_s;
    case 12:
        return u"bzip2"_s;
    case 14:
        return u"LZMA"_s;
    case 93:
        return u"Zstandard"_s;
    case 95:
        return u"XZ"_s;
    case 98:
        return u"PPMd"_s;
    case 99:
        return tr("AES-encrypted");
    default:
        return tr("number %1").arg(method);
    }
}

bool ZipReader::fail(const QString &message, RemoteFailure failure)
{
    // A failed read of the remote device explains itself better than QuaZip's error code.
    if (auto *remote = qobject_cast<RemoteZipDevice *>(m_device);
        remote && remote->failure() != RemoteFailure::None) {
        m_failure = remote->failure();
        m_error = remote->errorString();
        return false;
    }
    m_failure = failure;
    m_error = message;
    return false;
}

void ZipReader::hint(qint64 from, qint64 to)
{
    if (auto *remote = qobject_cast<RemoteZipDevice *>(m_device))
        remote->setWindow(from, to);
}

bool ZipReader::open()
{
    m_entries.clear();
    m_failure = RemoteFailure::None;
    m_error.clear();
    m_zip = std::make_unique<QuaZip>(m_device);
    m_zip->setAutoClose(false);
    // Names without the UTF-8 flag are nearly always UTF-8 too on the systems that write them
    // today (Info-ZIP, 7z and bsdtar on Linux and macOS); CP437 names decode as replacement
    // characters in their non-ASCII bytes and are made safe like any other name.
    m_zip->setFileNameCodec("UTF-8");
    if (!m_zip->open(QuaZip::mdUnzip))
        return fail(
            tr("This is not a ZIP archive, or it is damaged: its end-of-central-directory record "
               "cannot be read (error %1).")
                .arg(m_zip->getZipError()));
    unzFile handle = m_zip->getUnzFile();
    for (bool more = m_zip->goToFirstFile(); more; more = m_zip->goToNextFile()) {
        QuaZipFileInfo64 info;
        if (!m_zip->getCurrentFileInfo(&info))
            break;
        ZipEntry e;
        e.name = info.name;
        e.size = qint64(info.uncompressedSize);
        e.packedSize = qint64(info.compressedSize);
        e.modified = info.dateTime;
        e.crc = info.crc;
        e.method = info.method;
        e.flags = info.flags;
        e.encrypted = (info.flags & (kFlagEncrypted | kFlagStrongEncryption)) != 0;
        e.directory = info.name.endsWith(u'/') || info.name.endsWith(u'\\');
        e.symlink = !e.directory && info.isSymbolicLink();
        e.zip64 = info.uncompressedSize >= 0xFFFFFFFFu || info.compressedSize >= 0xFFFFFFFFu;
        e.centralExtraBytes = int(info.extra.size());
        if (e.size < 0 || e.packedSize < 0)
            return fail(tr("The central directory is damaged: “%1” claims an impossible size.")
                            .arg(e.name));
        unz64_file_pos pos;
        if (unzGetFilePos64(handle, &pos) == UNZ_OK) {
            e.centralOffset = qint64(pos.pos_in_zip_directory);
            e.centralIndex = qint64(pos.num_of_file);
        }
        locate(&e);
        m_entries.append(e);
    }
    if (m_zip->getZipError() != UNZ_OK)
        return fail(tr("The central directory is damaged or cut short after %n entries (error %1).",
                       nullptr, int(m_entries.size()))
                        .arg(m_zip->getZipError()));
    return true;
}

// Finds the entry's local header offset in its central directory record. QuaZip does not tell
// it, but the remote device needs it to fetch an entry in one span; if the record cannot be
// read here (an archive with bytes before it, say) the entry is still read, only less exactly.
void ZipReader::locate(ZipEntry *entry)
{
    if (entry->centralOffset < 0)
        return;
    const qint64 saved = m_device->pos();
    QByteArray record(kCentralHeaderSize, Qt::Uninitialized);
    const bool ok = m_device->seek(entry->centralOffset) &&
                    m_device->read(record.data(), kCentralHeaderSize) == kCentralHeaderSize;
    QByteArray extra;
    const auto *p = reinterpret_cast<const uchar *>(record.constData());
    if (ok && record.startsWith("PK\x01\x02")) {
        entry->nameBytes = qFromLittleEndian<quint16>(p + 28);
        const int extraLength = qFromLittleEndian<quint16>(p + 30);
        extra.resize(extraLength);
        if (m_device->seek(entry->centralOffset + kCentralHeaderSize + entry->nameBytes) &&
            m_device->read(extra.data(), extraLength) == extraLength) {
            quint64 offset = qFromLittleEndian<quint32>(p + 42);
            const bool sizeInExtra = qFromLittleEndian<quint32>(p + 24) == 0xFFFFFFFFu;
            const bool packedInExtra = qFromLittleEndian<quint32>(p + 20) == 0xFFFFFFFFu;
            if (offset == 0xFFFFFFFFu) {
                entry->zip64 = true;
                // The Zip64 extra field holds, in this order, only the values that overflowed.
                offset = ~quint64(0);
                const auto *x = reinterpret_cast<const uchar *>(extra.constData());
                for (int i = 0; i + 4 <= extraLength;) {
                    const quint16 id = qFromLittleEndian<quint16>(x + i);
                    const int length = qFromLittleEndian<quint16>(x + i + 2);
                    if (id == 0x0001) {
                        const int at = i + 4 + (sizeInExtra ? 8 : 0) + (packedInExtra ? 8 : 0);
                        if (at + 8 <= i + 4 + length && at + 8 <= extraLength)
                            offset = qFromLittleEndian<quint64>(x + at);
                        break;
                    }
                    i += 4 + length;
                }
            }
            if (offset < quint64(m_device->size()))
                entry->localOffset = qint64(offset);
        }
    }
    m_device->seek(saved);
}

bool ZipReader::extract(const ZipEntry &entry, QIODevice *out,
                        const std::function<bool(qint64)> &progress)
{
    m_failure = RemoteFailure::None;
    m_error.clear();
    if (!m_zip || !m_zip->isOpen())
        return fail(tr("The archive is not open."));
    if (const QString why = entry.refusal(); !why.isEmpty())
        return fail(why);
    unzFile handle = m_zip->getUnzFile();
    unz64_file_pos pos{quint64(entry.centralOffset), quint64(entry.centralIndex)};
    if (entry.centralOffset < 0 || unzGoToFilePos64(handle, &pos) != UNZ_OK)
        return fail(tr("“%1” cannot be found in the central directory again.").arg(entry.name));
    // Local header, name, extra field and data in one span: one request for a small entry.
    if (entry.localOffset >= 0)
        hint(entry.localOffset, entry.localOffset + kLocalHeaderSize + entry.nameBytes +
                                    entry.centralExtraBytes + kLocalExtraSlack + entry.packedSize);
    if (unzOpenCurrentFile(handle) != UNZ_OK) {
        hint(0, 0);
        return fail(
            tr("The local header of “%1” is damaged or does not match the central directory.")
                .arg(entry.name));
    }
    // Now the data's exact start is known: nothing past its end is fetched.
    const qint64 dataStart = qint64(unzGetCurrentFileZStreamPos64(handle));
    if (dataStart > 0)
        hint(dataStart, dataStart + entry.packedSize);
    QByteArray buffer(kCopyBuffer, Qt::Uninitialized);
    qint64 written = 0;
    bool ok = true;
    for (;;) {
        const int n = unzReadCurrentFile(handle, buffer.data(), unsigned(buffer.size()));
        if (n < 0) {
            ok = fail(tr("The data of “%1” is damaged (error %2).").arg(entry.name).arg(n));
            break;
        }
        if (n == 0)
            break;
        if (written + n > entry.size) {
            ok = fail(tr("“%1” holds more data than its stated size of %2 bytes.")
                          .arg(entry.name)
                          .arg(entry.size));
            break;
        }
        if (out->write(buffer.constData(), n) != n) {
            ok = fail(tr("Cannot write “%1”: %2").arg(entry.name, out->errorString()),
                      RemoteFailure::Local);
            break;
        }
        written += n;
        if (progress && !progress(written)) {
            ok = fail(tr("Cancelled."), RemoteFailure::Aborted);
            break;
        }
    }
    const int closed = unzCloseCurrentFile(handle);
    hint(0, 0);
    if (!ok)
        return false;
    if (written != entry.size)
        return fail(
            tr("“%1” ends after %2 of its %3 bytes.").arg(entry.name).arg(written).arg(entry.size));
    if (closed == UNZ_CRCERROR)
        return fail(tr("“%1” fails its CRC-32 check: the data is damaged.").arg(entry.name));
    if (closed != UNZ_OK)
        return fail(
            tr("“%1” could not be read to its end (error %2).").arg(entry.name).arg(closed));
    return true;
}

} // namespace ferry::zipread
