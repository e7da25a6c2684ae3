#include "ziparchivemakers.h"

#include "zip/zipwriter.h"

#include <QDateTime>
#include <QFile>
#include <QtEndian>

#include <zlib.h>

using namespace Qt::StringLiterals;

namespace ferry::test::zipread {

namespace {

void put16(QByteArray *out, quint16 v)
{
    char b[2];
    qToLittleEndian(v, b);
    out->append(b, 2);
}

void put32(QByteArray *out, quint32 v)
{
    char b[4];
    qToLittleEndian(v, b);
    out->append(b, 4);
}

void put64(QByteArray *out, quint64 v)
{
    char b[8];
    qToLittleEndian(v, b);
    out->append(b, 8);
}

constexpr quint16 kDosTime = (10 << 11) | (20 << 5);              // 10:20:00
constexpr quint16 kDosDate = ((2024 - 1980) << 9) | (3 << 5) | 4; // 2024-03-04

} // namespace

QByteArray ferryArchive(const QHash<QString, QByteArray> &files, bool streamed)
{
    BufferSink sink;
    zip::ZipWriter writer(&sink);
    QStringList names = files.keys();
    names.sort();
    const QDateTime mtime(QDate(2024, 3, 4), QTime(10, 20));
    for (const QString &name : std::as_const(names)) {
        const QByteArray &data = files.value(name);
        zip::ZipEntryMeta meta{name, streamed ? -1 : data.size(), mtime, zip::ZipMethod::Auto};
        if (streamed) {
            writer.beginEntry(meta);
            for (qsizetype at = 0; at < data.size(); at += 100000)
                writer.write(
                    QByteArrayView(data).sliced(at, qMin<qsizetype>(100000, data.size() - at)));
            writer.finishEntry();
        } else {
            writer.addEntry(meta, data);
        }
    }
    writer.finish();
    return writer.hasError() ? QByteArray() : sink.bytes;
}

QByteArray manyEntriesArchive(int count)
{
    BufferSink sink;
    zip::ZipWriter writer(&sink);
    const QDateTime mtime(QDate(2024, 1, 1), QTime(0, 0));
    for (int i = 0; i < count; ++i) {
        const QString name = u"n/%1.txt"_s.arg(i, 5, 10, QChar(u'0'));
        const QByteArray data = QByteArray("entry ") + QByteArray::number(i) + '\n';
        writer.addEntry({name, data.size(), mtime, zip::ZipMethod::Stored}, data);
    }
    writer.finish();
    return writer.hasError() ? QByteArray() : sink.bytes;
}

quint32 crcOfZeros(qint64 size)
{
    const QByteArray mib(1 << 20, '\0');
    const uLong crcMib =
        crc32(0, reinterpret_cast<const Bytef *>(mib.constData()), uInt(mib.size()));
    uLong crc = crc32(0, nullptr, 0);
    qint64 left = size;
    for (; left >= mib.size(); left -= mib.size())
        crc = crc32_combine(crc, crcMib, mib.size());
    crc = crc32(crc, reinterpret_cast<const Bytef *>(mib.constData()), uInt(left));
    return quint32(crc);
}

bool writeSparseZip64(const QString &path, qint64 hugeSize, const QByteArray &after)
{
    const QByteArray hugeName = "huge.bin";
    const QByteArray afterName = "after.txt";
    const quint32 hugeCrc = crcOfZeros(hugeSize);
    const quint32 afterCrc =
        quint32(crc32(0, reinterpret_cast<const Bytef *>(after.constData()), uInt(after.size())));

    QByteArray head; // local header of huge.bin, Zip64 sizes in its extra field
    put32(&head, 0x04034b50);
    put16(&head, 45);
    put16(&head, 0);
    put16(&head, 0);
    put16(&head, kDosTime);
    put16(&head, kDosDate);
    put32(&head, hugeCrc);
    put32(&head, 0xFFFFFFFFu);
    put32(&head, 0xFFFFFFFFu);
    put16(&head, quint16(hugeName.size()));
    put16(&head, 20);
    head += hugeName;
    put16(&head, 0x0001);
    put16(&head, 16);
    put64(&head, quint64(hugeSize));
    put64(&head, quint64(hugeSize));
    const qint64 afterOffset = head.size() + hugeSize;

    QByteArray tail; // after.txt's local header and data, then the central directory
    put32(&tail, 0x04034b50);
    put16(&tail, 20);
    put16(&tail, 0);
    put16(&tail, 0);
    put16(&tail, kDosTime);
    put16(&tail, kDosDate);
    put32(&tail, afterCrc);
    put32(&tail, quint32(after.size()));
    put32(&tail, quint32(after.size()));
    put16(&tail, quint16(afterName.size()));
    put16(&tail, 0);
    tail += afterName + after;
    const qint64 cdOffset = afterOffset + tail.size();

    QByteArray cd;
    const auto central = [&](const QByteArray &name, quint32 crc, quint32 size32, quint32 offset32,
                             const QByteArray &extra) {
        put32(&cd, 0x02014b50);
        put16(&cd, (3 << 8) | 45);
        put16(&cd, 45);
        put16(&cd, 0);
        put16(&cd, 0);
        put16(&cd, kDosTime);
        put16(&cd, kDosDate);
        put32(&cd, crc);
        put32(&cd, size32);
        put32(&cd, size32);
        put16(&cd, quint16(name.size()));
        put16(&cd, quint16(extra.size()));
        put16(&cd, 0);
        put16(&cd, 0);
        put16(&cd, 0);
        put32(&cd, 0100644u << 16);
        put32(&cd, offset32);
        cd += name + extra;
    };
    QByteArray hugeExtra;
    put16(&hugeExtra, 0x0001);
    put16(&hugeExtra, 16);
    put64(&hugeExtra, quint64(hugeSize));
    put64(&hugeExtra, quint64(hugeSize));
    central(hugeName, hugeCrc, 0xFFFFFFFFu, 0, hugeExtra);
    QByteArray afterExtra;
    put16(&afterExtra, 0x0001);
    put16(&afterExtra, 8);
    put64(&afterExtra, quint64(afterOffset));
    central(afterName, afterCrc, quint32(after.size()), 0xFFFFFFFFu, afterExtra);

    QByteArray end;
    const qint64 zip64End = cdOffset + cd.size();
    put32(&end, 0x06064b50);
    put64(&end, 44);
    put16(&end, 45);
    put16(&end, 45);
    put32(&end, 0);
    put32(&end, 0);
    put64(&end, 2);
    put64(&end, 2);
    put64(&end, quint64(cd.size()));
    put64(&end, quint64(cdOffset));
    put32(&end, 0x07064b50);
    put32(&end, 0);
    put64(&end, quint64(zip64End));
    put32(&end, 1);
    put32(&end, 0x06054b50);
    put16(&end, 0);
    put16(&end, 0);
    put16(&end, 2);
    put16(&end, 2);
    put32(&end, quint32(cd.size()));
    put32(&end, 0xFFFFFFFFu);
    put16(&end, 0);

    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(head) != head.size())
        return false;
    // The zeros are a hole: the file takes a few kilobytes on disk.
    if (!f.seek(afterOffset) || f.write(tail) != tail.size() || f.write(cd) != cd.size() ||
        f.write(end) != end.size())
        return false;
    return f.flush();
}

} // namespace ferry::test::zipread
