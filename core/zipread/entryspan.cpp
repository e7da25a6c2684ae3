#include "zipread/entryspan.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace ferry::zipread {

namespace {
const QString kKey = u"zipEntry"_s;

// 64-bit offsets travel as strings: a JSON number is a double and would round past 2^53.
QString number(qint64 value)
{
    return QString::number(value);
}

qint64 number(const QJsonValue &value, qint64 fallback)
{
    bool ok = false;
    const qint64 n = value.toString().toLongLong(&ok);
    return ok ? n : fallback;
}
} // namespace

QByteArray withEntrySpan(const QByteArray &extra, const ZipEntrySpan &span)
{
    QJsonObject root = QJsonDocument::fromJson(extra).object();
    root.insert(kKey, QJsonObject{
                          {u"offset"_s, number(span.offset)},
                          {u"length"_s, number(span.length)},
                          {u"archiveSize"_s, number(span.archiveSize)},
                          {u"etag"_s, QString::fromLatin1(span.etag)},
                          {u"lastModified"_s, QString::fromLatin1(span.lastModified)},
                          {u"name"_s, span.name},
                          {u"nameBytes"_s, span.nameBytes},
                          {u"rawName"_s, QString::fromLatin1(span.rawName.toBase64())},
                          {u"method"_s, span.method},
                          {u"crc"_s, number(span.crc)},
                          {u"size"_s, number(span.size)},
                          {u"packedSize"_s, number(span.packedSize)},
                          {u"modified"_s, span.modified.toString(Qt::ISODateWithMs)},
                          {u"decodedDevice"_s, QString::number(span.decodedDevice)},
                          {u"decodedInode"_s, QString::number(span.decodedInode)},
                      });
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

std::optional<ZipEntrySpan> entrySpanOf(const QByteArray &extra)
{
    if (extra.isEmpty())
        return std::nullopt;
    const QJsonValue value = QJsonDocument::fromJson(extra).object().value(kKey);
    if (!value.isObject())
        return std::nullopt;
    const QJsonObject o = value.toObject();
    ZipEntrySpan s;
    s.offset = number(o.value(u"offset"_s), -1);
    s.length = number(o.value(u"length"_s), -1);
    s.archiveSize = number(o.value(u"archiveSize"_s), -1);
    s.etag = o.value(u"etag"_s).toString().toLatin1();
    s.lastModified = o.value(u"lastModified"_s).toString().toLatin1();
    s.name = o.value(u"name"_s).toString();
    s.nameBytes = o.value(u"nameBytes"_s).toInt();
    s.rawName = QByteArray::fromBase64(o.value(u"rawName"_s).toString().toLatin1());
    s.decodedDevice = o.value(u"decodedDevice"_s).toString().toULongLong();
    s.decodedInode = o.value(u"decodedInode"_s).toString().toULongLong();
    s.method = o.value(u"method"_s).toInt();
    s.crc = quint32(number(o.value(u"crc"_s), 0));
    s.size = number(o.value(u"size"_s), -1);
    s.packedSize = number(o.value(u"packedSize"_s), -1);
    s.modified = QDateTime::fromString(o.value(u"modified"_s).toString(), Qt::ISODateWithMs);
    if (s.offset < 0 || s.length <= 0 || s.size < 0 || s.packedSize < 0)
        return std::nullopt;
    return s;
}

} // namespace ferry::zipread
