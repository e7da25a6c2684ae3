#include "zipread/zipreader.h"

#include "zipread/remotezipdevice.h"

#include <quazip.h>
#include <quazipfileinfo.h>
#include <unzip.h>

#include <QIODevice>
#include <QStringDecoder>
#include <QtEndian>

#include <optional>

#include <zlib.h>

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
constexpr quint16 kFlagUtf8 = 0x0800;
constexpr quint16 kUnicodePathField = 0x7075;

// Code page 437, the ZIP specification's encoding for names without the UTF-8 flag: the
// characters of the bytes 0x80 to 0xFF (the lower half is ASCII).
// clang-format off
constexpr char16_t kCp437High[128] = {
    0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7,  // 0x80
    0x00EA, 0x00EB, 0x00E8, 0x00EF, 0x00EE, 0x00EC, 0x00C4, 0x00C5,  // 0x88
    0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9,  // 0x90
    0x00FF, 0x00D6, 0x00DC, 0x00A2, 0x00A3, 0x00A5, 0x20A7, 0x0192,  // 0x98
    0x00E1, 0x00ED, 0x00F3, 0x00FA, 0x00F1, 0x00D1, 0x00AA, 0x00BA,  // 0xA0
    0x00BF, 0x2310, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB,  // 0xA8
    0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x2561, 0x2562, 0x2556,  // 0xB0
    0x2555, 0x2563, 0x2551, 0x2557, 0x255D, 0x255C, 0x255B, 0x2510,  // 0xB8
    0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x255E, 0x255F,  // 0xC0
    0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x2567,  // 0xC8
    0x2568, 0x2564, 0x2565, 0x2559, 0x2558, 0x2552, 0x2553, 0x256B,  // 0xD0
    0x256A, 0x2518, 0x250C, 0x2588, 0x2584, 0x258C, 0x2590, 0x2580,  // 0xD8
    0x03B1, 0x00DF, 0x0393, 0x03C0, 0x03A3, 0x03C3, 0x00B5, 0x03C4,  // 0xE0
    0x03A6, 0x0398, 0x03A9, 0x03B4, 0x221E, 0x03C6, 0x03B5, 0x2229,  // 0xE8
    0x2261, 0x00B1, 0x2265, 0x2264, 0x2320, 0x2321, 0x00F7, 0x2248,  // 0xF0
    0x00B0, 0x2219, 0x00B7, 0x221A, 0x207F, 0x00B2, 0x25A0, 0x00A0,  // 0xF8
};
// clang-format on

QString fromCp437(const QByteArray &raw)
{
    QString name;
    name.reserve(raw.size());
    for (const char c : raw) {
        const auto b = uchar(c);
        name.append(b < 0x80 ? QChar(char16_t(b)) : QChar(kCp437High[b - 0x80]));
    }
    return name;
}

// The UTF-8 text of the bytes, or nothing when they are not valid UTF-8.
std::optional<QString> strictUtf8(QByteArrayView raw)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(raw);
    if (decoder.hasError())
        return std::nullopt;
    return text;
}

// The name of an Info-ZIP Unicode Path extra field, when it is there and was made for exactly
// these raw name bytes (its CRC-32 is theirs: a tool that renamed the entry and left the field
// behind does not get the old name back).
std::optional<QString> unicodePath(const QByteArray &raw, const QByteArray &extra)
{
    const auto *x = reinterpret_cast<const uchar *>(extra.constData());
    for (qsizetype i = 0; i + 4 <= extra.size();) {
        const quint16 id = qFromLittleEndian<quint16>(x + i);
        const qsizetype length = qFromLittleEndian<quint16>(x + i + 2);
        if (i + 4 + length > extra.size())
            break;
        if (id == kUnicodePathField && length >= 5 && x[i + 4] == 1) {
            const quint32 crc = qFromLittleEndian<quint32>(x + i + 5);
            const auto actual = quint32(
                crc32(0, reinterpret_cast<const Bytef *>(raw.constData()), uInt(raw.size())));
            if (crc != actual)
                return std::nullopt;
            return strictUtf8(QByteArrayView(extra).sliced(i + 9, length - 5));
        }
        i += 4 + length;
    }
    return std::nullopt;
}

} // namespace

QString ZipReader::decodeName(const QByteArray &raw, quint16 flags, const QByteArray &extra)
{
    if (flags & kFlagUtf8)
        return QString::fromUtf8(raw); // invalid bytes become U+FFFD and are made safe later
    if (const std::optional<QString> name = unicodePath(raw, extra))
        return *name;
    // Without the flag, Info-ZIP, 7z and bsdtar on Linux and macOS still write UTF-8; bytes
    // that are not valid UTF-8 come from DOS and Windows tools, which write code page 437.
    if (const std::optional<QString> name = strictUtf8(raw))
        return *name;
    return fromCp437(raw);
}

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
    // Only a fallback: each name is decoded again from its raw bytes (decodeName()) where its
    // central directory record can be read.
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
        QByteArray rawName;
        if (e.size < 0 || e.packedSize < 0)
            return fail(tr("The central directory is damaged: “%1” claims an impossible size.")
                            .arg(e.name));
        unz64_file_pos pos;
        if (unzGetFilePos64(handle, &pos) == UNZ_OK) {
            e.centralOffset = qint64(pos.pos_in_zip_directory);
            e.centralIndex = qint64(pos.num_of_file);
        }
        locate(&e, &rawName);
        if (rawName.size() == e.nameBytes && e.nameBytes > 0) {
            e.rawName = rawName;
            e.name = decodeName(rawName, e.flags, info.extra);
            e.directory = e.name.endsWith(u'/') || e.name.endsWith(u'\\');
            e.symlink = !e.directory && info.isSymbolicLink();
        }
        m_entries.append(e);
    }
    if (m_zip->getZipError() != UNZ_OK)
        return fail(tr("The central directory is damaged or cut short after %n entries (error %1).",
                       nullptr, int(m_entries.size()))
                        .arg(m_zip->getZipError()));
    return true;
}

qint64 ZipReader::centralDirectoryOffset() const
{
    qint64 lowest = -1;
    for (const ZipEntry &e : m_entries) {
        if (e.centralOffset >= 0 && (lowest < 0 || e.centralOffset < lowest))
            lowest = e.centralOffset;
    }
    return lowest;
}

// Finds the entry's local header offset and its raw name bytes in its central directory
// record. QuaZip does not tell the offset, but the remote device needs it to fetch an entry in
// one span; if the record cannot be read here (an archive with bytes before it, say) the entry
// is still read, only less exactly, under the name QuaZip decoded.
void ZipReader::locate(ZipEntry *entry, QByteArray *rawName)
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
        rawName->resize(entry->nameBytes);
        if (m_device->seek(entry->centralOffset + kCentralHeaderSize) &&
            m_device->read(rawName->data(), entry->nameBytes) == entry->nameBytes &&
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
