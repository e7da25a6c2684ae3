#pragma once

#include <QDateTime>
#include <QString>
#include <QtGlobal>

namespace ferry::zip {

enum class ZipMethod {
    Auto,     // STORED for already-compressed types (see isAlreadyCompressed), DEFLATED otherwise
    Stored,
    Deflated,
};

// What the writer needs to know about an entry before its first byte.
struct ZipEntryMeta {
    QString name;          // entry name inside the archive, '/'-separated (see ZipNameMapper)
    qint64 size = -1;      // uncompressed size if known (from the listing); -1 when unknown
    QDateTime mtime;       // the object's LastModified
    ZipMethod method = ZipMethod::Auto;
};

// True for names whose content is already compressed (archives, images, audio, video, office
// containers, fonts): deflating them costs CPU and saves nothing. Judged by the extension only.
bool isAlreadyCompressed(QStringView name);

} // namespace ferry::zip
