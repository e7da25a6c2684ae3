#include "zipread/entrydecoder.h"

#include <QDir>
#include <QFile>
#include <QScopeGuard>
#include <QThread>
#include <QtEndian>

#include <zlib.h>

#include <algorithm>
#include <vector>

using namespace Qt::StringLiterals;

namespace ferry::zipread {

namespace {

constexpr quint32 kLocalSignature = 0x04034b50;
constexpr qint64 kLocalHeaderSize = 30;
constexpr qint64 kChunk = 1024 * 1024;

// The Zip64 extra field (0x0001) holds, in this order, only the values whose 32-bit field is
// 0xFFFFFFFF: uncompressed size, then compressed size.
void zip64Sizes(const QByteArray &extra, quint32 size32, quint32 packed32, qint64 *size,
                qint64 *packed)
{
    const auto *x = reinterpret_cast<const uchar *>(extra.constData());
    for (qsizetype i = 0; i + 4 <= extra.size();) {
        const quint16 id = qFromLittleEndian<quint16>(x + i);
        const quint16 length = qFromLittleEndian<quint16>(x + i + 2);
        if (id == 0x0001) {
            qsizetype at = i + 4;
            const qsizetype end = std::min<qsizetype>(i + 4 + length, extra.size());
            if (size32 == 0xFFFFFFFFu && at + 8 <= end) {
                *size = qint64(qFromLittleEndian<quint64>(x + at));
                at += 8;
            }
            if (packed32 == 0xFFFFFFFFu && at + 8 <= end)
                *packed = qint64(qFromLittleEndian<quint64>(x + at));
            return;
        }
        i += 4 + length;
    }
}

} // namespace

QString EntryDecoder::decodingPath(const QString &partPath)
{
    // "name.ext.part" -> "name.ext.unzip.part": a part file's name, so it reserves no final name
    // another download could want, and it says what it is.
    const QString base = partPath.endsWith(PartFile::suffix())
                             ? partPath.chopped(PartFile::suffix().size())
                             : partPath;
    return base + u".unzip"_s + PartFile::suffix();
}

bool EntryDecoder::createOutput(const QString &outPath, PartFile::Identity *identity,
                                QString *error)
{
    PartFile out(outPath);
    bool nameTaken = false;
    QString why;
    if (!out.create(0, &nameTaken, &why)) {
        *error = nameTaken ? tr("%1 is in the way and is not this download's own file; it was "
                                "left untouched. Move it away, then resume.")
                                 .arg(QDir::toNativeSeparators(outPath))
                           : tr("Cannot create %1: %2.").arg(QDir::toNativeSeparators(outPath), why);
        return false;
    }
    *identity = out.identity();
    return true;
}

EntryDecoder::Result EntryDecoder::decode(const QString &spanPath, const ZipEntrySpan &entry,
                                          const QString &outPath, PartFile::Identity identity,
                                          const std::atomic_bool &cancel)
{
    Result result;
    const QString name = entry.name;
    PartFile out(outPath);
    // Whatever happens, only the file the caller created is written or removed.
    const auto discard = [&](const QString &why, bool damaged = false) {
        out.close();
        if (identity.isKnown())
            PartFile::removeIfOwned(outPath, identity);
        result.error = why;
        result.damaged = damaged;
        return result;
    };
    const auto damaged = [&](const QString &why) { return discard(why, true); };
    QFile in(spanPath);
    if (!in.open(QIODevice::ReadOnly))
        return discard(
            tr("Cannot read %1: %2.").arg(QDir::toNativeSeparators(spanPath), in.errorString()));
    const QByteArray header = in.read(kLocalHeaderSize);
    const auto *h = reinterpret_cast<const uchar *>(header.constData());
    if (header.size() < kLocalHeaderSize || qFromLittleEndian<quint32>(h) != kLocalSignature)
        return damaged(tr("The archive has no local header for “%1” where its directory says.")
                           .arg(name));
    const quint16 flags = qFromLittleEndian<quint16>(h + 6);
    const int method = qFromLittleEndian<quint16>(h + 8);
    const quint32 crc = qFromLittleEndian<quint32>(h + 14);
    const quint32 packed32 = qFromLittleEndian<quint32>(h + 18);
    const quint32 size32 = qFromLittleEndian<quint32>(h + 22);
    const int nameLength = qFromLittleEndian<quint16>(h + 26);
    const int extraLength = qFromLittleEndian<quint16>(h + 28);
    const QByteArray localName = in.read(nameLength);
    const QByteArray extra = in.read(extraLength);
    if (localName.size() != nameLength || extra.size() != extraLength)
        return damaged(tr("The local header of “%1” is cut short.").arg(name));
    // Names are compared as the bytes both headers hold: the listed name may be decoded from
    // a Unicode Path extra field or code page 437, which the local header need not repeat.
    // A record from before the raw bytes were kept has only their count.
    const bool nameDiffers = nameLength != entry.nameBytes ||
                             (!entry.rawName.isEmpty() && localName != entry.rawName);
    if (nameDiffers || method != entry.method)
        return damaged(tr("The local header of “%1” does not match the archive's directory (name "
                          "or method).")
                           .arg(name));
    if (flags & 0x1)
        return discard(tr("“%1” is encrypted; Ferry does not extract encrypted entries.").arg(name));
    if (!(flags & 0x8)) {
        // Without a data descriptor the local header carries CRC and sizes: they must agree.
        qint64 size = size32, packed = packed32;
        zip64Sizes(extra, size32, packed32, &size, &packed);
        if (crc != entry.crc || size != entry.size || packed != entry.packedSize)
            return damaged(tr("The local header of “%1” gives other sizes or another CRC-32 than "
                              "the archive's directory.")
                               .arg(name));
    }
    const qint64 dataStart = kLocalHeaderSize + nameLength + extraLength;
    if (dataStart + entry.packedSize > in.size())
        return damaged(tr("The data of “%1” runs past the part of the archive it was read from.")
                           .arg(name));
    if (entry.method != 0 && entry.method != 8)
        return discard(tr("“%1” uses a compression method Ferry does not extract.").arg(name));

    QString error;
    if (!out.open(entry.size, identity, &error))
        return discard(tr("Cannot write %1: %2.").arg(QDir::toNativeSeparators(outPath), error));

    if (!in.seek(dataStart))
        return discard(
            tr("Cannot read %1: %2.").arg(QDir::toNativeSeparators(spanPath), in.errorString()));
    std::vector<char> input(kChunk), output(kChunk);
    qint64 remaining = entry.packedSize;
    qint64 written = 0;
    uLong crcSoFar = crc32(0L, Z_NULL, 0);
    const QString tooLong = tr("“%1” holds more data than the %2 bytes the archive's directory "
                               "says.")
                                .arg(name)
                                .arg(entry.size);
    bool overlong = false;
    const auto put = [&](const char *data, qint64 length) {
        if (written + length > entry.size) {
            overlong = true;
            return tooLong;
        }
        if (!out.write(written, data, length, &error))
            return tr("Cannot write %1: %2.").arg(QDir::toNativeSeparators(outPath), error);
        crcSoFar = crc32(crcSoFar, reinterpret_cast<const Bytef *>(data), uInt(length));
        written += length;
        return QString();
    };

    if (entry.method == 0) {
        while (remaining > 0) {
            if (cancel)
                return discard(tr("Decoding “%1” was stopped.").arg(name));
            const qint64 n = in.read(input.data(), std::min(remaining, kChunk));
            if (n <= 0)
                return discard(tr("Cannot read %1: %2.")
                                   .arg(QDir::toNativeSeparators(spanPath), in.errorString()));
            remaining -= n;
            if (const QString why = put(input.data(), n); !why.isEmpty())
                return discard(why, overlong);
        }
    } else {
        z_stream zs{};
        if (inflateInit2(&zs, -MAX_WBITS) != Z_OK)
            return discard(tr("Cannot start inflating “%1”.").arg(name));
        const auto end = qScopeGuard([&] { inflateEnd(&zs); });
        for (int rc = Z_OK; rc != Z_STREAM_END;) {
            if (cancel)
                return discard(tr("Decoding “%1” was stopped.").arg(name));
            if (zs.avail_in == 0 && remaining > 0) {
                const qint64 n = in.read(input.data(), std::min(remaining, kChunk));
                if (n <= 0)
                    return discard(tr("Cannot read %1: %2.")
                                       .arg(QDir::toNativeSeparators(spanPath), in.errorString()));
                remaining -= n;
                zs.next_in = reinterpret_cast<Bytef *>(input.data());
                zs.avail_in = uInt(n);
            }
            zs.next_out = reinterpret_cast<Bytef *>(output.data());
            zs.avail_out = uInt(kChunk);
            rc = inflate(&zs, Z_NO_FLUSH);
            if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
                // zlib's own words are not translated: kept out of the sentence.
                return damaged(tr("The compressed data of “%1” cannot be inflated.").arg(name) +
                               (zs.msg ? u" (zlib: %1)"_s.arg(QString::fromLatin1(zs.msg))
                                       : QString()));
            const qint64 produced = kChunk - zs.avail_out;
            if (produced > 0) {
                if (const QString why = put(output.data(), produced); !why.isEmpty())
                    return discard(why, overlong);
            } else if (rc == Z_BUF_ERROR && zs.avail_in == 0 && remaining == 0) {
                return damaged(tr("The compressed data of “%1” ends early.").arg(name));
            }
        }
    }
    if (written != entry.size)
        return damaged(tr("“%1” has %2 bytes, but the archive's directory says %3.")
                           .arg(name)
                           .arg(written)
                           .arg(entry.size));
    if (quint32(crcSoFar) != entry.crc)
        return damaged(tr("The CRC-32 of “%1” is %2, but the archive's directory says %3.")
                           .arg(name, u"%1"_s.arg(quint32(crcSoFar), 8, 16, QChar(u'0')),
                                u"%1"_s.arg(entry.crc, 8, 16, QChar(u'0'))));
    if (!out.fullSync())
        return discard(tr("Cannot flush %1 to the disk.").arg(QDir::toNativeSeparators(outPath)));
    if (cancel)
        return discard(tr("Decoding “%1” was stopped.").arg(name));
    out.close();
    if (entry.modified.isValid()) {
        QFile stamp(outPath);
        if (stamp.open(QIODevice::ReadOnly))
            stamp.setFileTime(entry.modified, QFileDevice::FileModificationTime);
    }
    result.identity = identity;
    return result;
}

QThread *EntryDecoder::decodeAsync(const QString &spanPath, const ZipEntrySpan &entry,
                                   const QString &outPath, PartFile::Identity out,
                                   std::shared_ptr<std::atomic_bool> cancel, QObject *context,
                                   std::function<void(const Result &)> done)
{
    auto result = std::make_shared<Result>();
    QThread *worker =
        QThread::create([=] { *result = decode(spanPath, entry, outPath, out, *cancel); });
    QObject::connect(worker, &QThread::finished, context, [result, done] { done(*result); });
    QObject::connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    worker->start();
    return worker;
}

} // namespace ferry::zipread
