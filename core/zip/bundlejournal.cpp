#include "zip/bundlejournal.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace ferry::zip {

namespace {

constexpr int Version = 1;

QJsonObject recordJson(const ZipWriter::Record &r)
{
    QJsonObject o;
    o[u"n"_s] = QString::fromUtf8(r.name);
    o[u"m"_s] = r.method;
    o[u"f"_s] = r.flags;
    o[u"dt"_s] = r.dosTime;
    o[u"dd"_s] = r.dosDate;
    o[u"ut"_s] = qint64(r.unixTime);
    o[u"crc"_s] = qint64(r.crc);
    o[u"c"_s] = qint64(r.compressedSize);
    o[u"s"_s] = qint64(r.size);
    o[u"o"_s] = qint64(r.offset);
    o[u"z"_s] = r.zip64Local;
    o[u"d"_s] = r.directory;
    return o;
}

ZipWriter::Record recordFrom(const QJsonObject &o)
{
    ZipWriter::Record r;
    r.name = o[u"n"_s].toString().toUtf8();
    r.method = quint16(o[u"m"_s].toInt());
    r.flags = quint16(o[u"f"_s].toInt());
    r.dosTime = quint16(o[u"dt"_s].toInt());
    r.dosDate = quint16(o[u"dd"_s].toInt());
    r.unixTime = quint32(o[u"ut"_s].toInteger());
    r.crc = quint32(o[u"crc"_s].toInteger());
    r.compressedSize = quint64(o[u"c"_s].toInteger());
    r.size = quint64(o[u"s"_s].toInteger());
    r.offset = quint64(o[u"o"_s].toInteger());
    r.zip64Local = o[u"z"_s].toBool();
    r.directory = o[u"d"_s].toBool();
    return r;
}

QByteArray line(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

} // namespace

BundleJournal::BundleJournal(const QString &path) : m_file(path)
{
}

BundleJournal::~BundleJournal() = default;

bool BundleJournal::create(const Plan &plan)
{
    QDir().mkpath(QFileInfo(m_file.fileName()).absolutePath());
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return fail(tr("Could not create %1: %2").arg(m_file.fileName(), m_file.errorString()));
    m_size = 0;
    QJsonObject head;
    head[u"t"_s] = u"plan"_s;
    head[u"v"_s] = Version;
    head[u"chunk"_s] = plan.chunkSize;
    head[u"restart"_s] = plan.restartInterval;
    head[u"part"_s] = plan.partSize;
    head[u"items"_s] = plan.items.size();
    QByteArray bytes = line(head);
    for (const BundleItem &i : plan.items) {
        QJsonObject o;
        o[u"t"_s] = u"item"_s;
        o[u"k"_s] = i.key;
        o[u"s"_s] = i.size;
        o[u"m"_s] = i.lastModified.isValid() ? i.lastModified.toMSecsSinceEpoch() : qint64(-1);
        o[u"e"_s] = QString::fromLatin1(i.etag);
        o[u"n"_s] = i.entryName;
        o[u"d"_s] = i.directory;
        bytes += line(o);
        if (bytes.size() >= (1 << 20)) {
            if (!append(bytes))
                return false;
            bytes.clear();
        }
    }
    return append(bytes) && sync();
}

bool BundleJournal::open(qint64 validBytes, Contents *contents)
{
    if (!m_file.open(QIODevice::ReadWrite))
        return fail(tr("Could not open %1: %2").arg(m_file.fileName(), m_file.errorString()));
    if (m_file.size() < validBytes)
        return fail(tr("%1 is shorter than recorded.").arg(m_file.fileName()));
    *contents = {};
    qint64 read = 0;
    int expectedItems = -1;
    bool havePlan = false;
    while (read < validBytes) {
        const QByteArray raw = m_file.readLine(validBytes - read + 1);
        if (raw.isEmpty() || !raw.endsWith('\n') || read + raw.size() > validBytes)
            break; // cut off by a crash: not part of the valid journal
        const QJsonObject o = QJsonDocument::fromJson(raw).object();
        const QString type = o[u"t"_s].toString();
        if (!havePlan) {
            if (type != u"plan"_s || o[u"v"_s].toInt() != Version)
                return fail(tr("%1 is not a bundle journal Ferry can read.").arg(m_file.fileName()));
            contents->plan.chunkSize = o[u"chunk"_s].toInteger();
            contents->plan.restartInterval = o[u"restart"_s].toInteger();
            contents->plan.partSize = o[u"part"_s].toInteger();
            expectedItems = o[u"items"_s].toInt();
            contents->checkpoints.append(Checkpoint{});
            havePlan = true;
            read += raw.size();
            if (expectedItems == 0)
                contents->checkpoints.first().journalEnd = read;
            continue;
        } else if (type == u"item"_s) {
            BundleItem i;
            i.key = o[u"k"_s].toString();
            i.size = o[u"s"_s].toInteger();
            const qint64 ms = o[u"m"_s].toInteger();
            if (ms >= 0)
                i.lastModified = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
            i.etag = o[u"e"_s].toString().toLatin1();
            i.entryName = o[u"n"_s].toString();
            i.directory = o[u"d"_s].toBool();
            contents->plan.items.append(i);
        } else if (type == u"upload"_s) {
            contents->uploadId = o[u"id"_s].toString();
            contents->uploadLineEnd = read + raw.size();
        } else if (type == u"rec"_s) {
            const int index = o.contains(u"i"_s) ? o[u"i"_s].toInt(-1) : int(contents->records.size());
            if (index < 0 || index > contents->records.size())
                return fail(tr("%1 is damaged.").arg(m_file.fileName()));
            if (index == contents->records.size())
                contents->records.append(recordFrom(o));
            else
                contents->records[index] = recordFrom(o);
        } else if (type == u"skip"_s) {
            contents->skipped.insert(o[u"i"_s].toInt());
        } else if (type == u"cp"_s) {
            Checkpoint c;
            c.position = o[u"pos"_s].toInteger();
            c.item = o[u"item"_s].toInt();
            c.chunk = o[u"chunk"_s].toInt();
            c.bytesDone = o[u"done"_s].toInteger();
            c.entriesDone = o[u"entries"_s].toInt();
            c.records = o[u"recs"_s].toInt();
            if (o.contains(u"open"_s)) {
                const QJsonObject e = o[u"open"_s].toObject();
                c.open = ZipWriter::OpenEntry{recordFrom(e), e[u"ds"_s].toInteger(), e[u"es"_s].toInteger(),
                                              e[u"lv"_s].toInt()};
            }
            if (c.records > contents->records.size() || c.item > contents->plan.items.size())
                return fail(tr("%1 is damaged.").arg(m_file.fileName()));
            c.journalEnd = read + raw.size();
            contents->checkpoints.append(c);
        } else {
            return fail(tr("%1 is damaged.").arg(m_file.fileName()));
        }
        read += raw.size();
        if (contents->plan.items.size() == expectedItems && contents->checkpoints.size() == 1
            && contents->checkpoints.first().journalEnd == 0)
            contents->checkpoints.first().journalEnd = read; // the start: right after the plan
    }
    if (!havePlan || contents->plan.items.size() != expectedItems || contents->plan.chunkSize <= 0)
        return fail(tr("%1 is incomplete.").arg(m_file.fileName()));
    if (!m_file.resize(read) || !m_file.seek(read))
        return fail(tr("Could not write %1: %2").arg(m_file.fileName(), m_file.errorString()));
    m_size = read;
    return true;
}

bool BundleJournal::truncate(qint64 bytes)
{
    if (!m_file.isOpen() || bytes > m_size || !m_file.flush() || !m_file.resize(bytes) || !m_file.seek(bytes))
        return fail(tr("Could not write %1: %2").arg(m_file.fileName(), m_file.errorString()));
    m_size = bytes;
    return true;
}

bool BundleJournal::appendUpload(const QString &uploadId)
{
    QJsonObject o;
    o[u"t"_s] = u"upload"_s;
    o[u"id"_s] = uploadId;
    return append(line(o));
}

bool BundleJournal::appendRecord(int index, const ZipWriter::Record &record)
{
    QJsonObject o = recordJson(record);
    o[u"t"_s] = u"rec"_s;
    o[u"i"_s] = index;
    return append(line(o));
}

bool BundleJournal::appendSkipped(int item)
{
    QJsonObject o;
    o[u"t"_s] = u"skip"_s;
    o[u"i"_s] = item;
    return append(line(o));
}

bool BundleJournal::appendCheckpoint(const Checkpoint &c)
{
    QJsonObject o;
    o[u"t"_s] = u"cp"_s;
    o[u"pos"_s] = c.position;
    o[u"item"_s] = c.item;
    o[u"chunk"_s] = c.chunk;
    o[u"done"_s] = c.bytesDone;
    o[u"entries"_s] = c.entriesDone;
    o[u"recs"_s] = c.records;
    if (c.open) {
        QJsonObject e = recordJson(c.open->record);
        e[u"ds"_s] = c.open->dataStart;
        e[u"es"_s] = c.open->expectedSize;
        e[u"lv"_s] = c.open->level;
        o[u"open"_s] = e;
    }
    return append(line(o));
}

bool BundleJournal::appendCompletion(const Completion &c)
{
    QJsonObject o;
    o[u"t"_s] = u"done"_s;
    o[u"path"_s] = c.path;
    o[u"size"_s] = c.size;
    // As strings: JSON numbers lose 64-bit values.
    o[u"dev"_s] = QString::number(c.identity.device);
    o[u"ino"_s] = QString::number(c.identity.inode);
    return append(line(o));
}

std::optional<BundleJournal::Completion> BundleJournal::completionIn(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    // The last line only: a path and a few numbers.
    constexpr qint64 tail = 64 * 1024;
    if (!file.seek(qMax<qint64>(0, file.size() - tail)))
        return std::nullopt;
    const QByteArray bytes = file.read(tail);
    if (!bytes.endsWith('\n'))
        return std::nullopt; // cut off by a crash
    const QByteArray last = bytes.sliced(bytes.lastIndexOf('\n', bytes.size() - 2) + 1);
    const QJsonObject o = QJsonDocument::fromJson(last).object();
    if (o[u"t"_s].toString() != u"done"_s)
        return std::nullopt;
    Completion c;
    c.path = o[u"path"_s].toString();
    c.size = o[u"size"_s].toInteger(-1);
    c.identity = {o[u"dev"_s].toString().toULongLong(), o[u"ino"_s].toString().toULongLong()};
    if (c.path.isEmpty() || c.size < 0 || !c.identity.isKnown())
        return std::nullopt;
    return c;
}

bool BundleJournal::sync()
{
    if (!m_file.flush() || ::fdatasync(m_file.handle()) != 0)
        return fail(tr("Could not write %1: %2").arg(m_file.fileName(), m_file.errorString()));
    return true;
}

bool BundleJournal::append(const QByteArray &bytes)
{
    if (!m_file.isOpen())
        return fail(tr("The bundle journal is not open."));
    if (m_file.write(bytes) != bytes.size())
        return fail(tr("Could not write %1: %2").arg(m_file.fileName(), m_file.errorString()));
    m_size += bytes.size();
    return true;
}

bool BundleJournal::fail(const QString &message)
{
    m_error = message;
    return false;
}

} // namespace ferry::zip
