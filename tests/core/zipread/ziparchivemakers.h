#pragma once

#include "zip/zipsink.h"

#include <QByteArray>
#include <QHash>
#include <QString>

// Archives the ZIP reading tests make themselves: with Ferry's own writer, and a Zip64 archive
// with an entry past 4 GiB whose data is a hole in a sparse file.
namespace ferry::test::zipread {

// A sequential in-memory sink: the writer then streams with data descriptors.
class BufferSink final : public ferry::zip::ZipSink
{
public:
    bool write(QByteArrayView data) override
    {
        bytes.append(data.data(), data.size());
        return true;
    }
    qint64 position() const override { return bytes.size(); }
    QString errorString() const override { return {}; }
    QByteArray bytes;
};

// `files` (entry name -> content) written by ZipWriter, streamed (data descriptors) when
// `streamed`, else as whole entries.
QByteArray ferryArchive(const QHash<QString, QByteArray> &files, bool streamed);

// `count` entries "n/00000.txt" ... each holding "entry N\n", written by ZipWriter.
QByteArray manyEntriesArchive(int count);

// A sparse archive: "huge.bin" (`hugeSize` zeros, stored, Zip64 sizes) followed by "after.txt"
// (content `after`, at an offset past 4 GiB, Zip64 offset). False when it cannot be written.
bool writeSparseZip64(const QString &path, qint64 hugeSize, const QByteArray &after);
// CRC-32 of `size` zero bytes, computed without touching them.
quint32 crcOfZeros(qint64 size);

} // namespace ferry::test::zipread
