#include "entrytestsupport.h"

#include "zipread/zipreader.h"

#include <QBuffer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace ferry::test::zipread {

QByteArray makeZip(const QString &workDir, const QList<ArchiveFile> &files,
                   QHash<QString, EntryPlace> *places, QString *error)
{
    QStringList args{QStringLiteral(FERRY_ENTRY_ARCHIVE_SCRIPT), workDir + u"/archive.zip"_s};
    for (qsizetype i = 0; i < files.size(); ++i) {
        const QString path = workDir + u"/content-%1"_s.arg(i);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) ||
            f.write(files.at(i).content) != files.at(i).content.size()) {
            *error = u"cannot write "_s + path;
            return {};
        }
        args << files.at(i).name + u'=' + path +
                    (files.at(i).deflated ? u":deflated"_s : u":stored"_s) +
                    (files.at(i).unicodePath.isEmpty() ? QString()
                                                       : u":upath="_s + files.at(i).unicodePath);
    }
    QProcess python;
    python.start(u"python3"_s, args);
    if (!python.waitForFinished(120000) || python.exitCode() != 0) {
        *error = QString::fromUtf8(python.readAllStandardError());
        return {};
    }
    const QJsonObject o = QJsonDocument::fromJson(python.readAllStandardOutput()).object();
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QJsonObject p = it.value().toObject();
        places->insert(it.key(), {p.value(u"offset"_s).toInteger(), p.value(u"data"_s).toInteger(),
                                  p.value(u"packed"_s).toInteger()});
    }
    QFile zip(workDir + u"/archive.zip"_s);
    if (!zip.open(QIODevice::ReadOnly)) {
        *error = u"no archive"_s;
        return {};
    }
    return zip.readAll();
}

QByteArray wordText(qint64 size, quint32 seed)
{
    static const char *const words[] = {
        "ferry", "river", "segment", "archive", "entry",  "range",   "header", "deflate", "stored",
        "crc",   "north", "south",   "harbour", "bridge", "lantern", "anchor", "current", "tide"};
    QRandomGenerator rng(seed);
    QByteArray text;
    text.reserve(size + 32);
    while (text.size() < size) {
        text += words[rng.bounded(int(std::size(words)))];
        text += rng.bounded(12) == 0 ? '\n' : ' ';
        if (rng.bounded(8) == 0)
            text += QByteArray::number(rng.bounded(100000));
    }
    text.truncate(size);
    return text;
}

ferry::zipread::ArchiveListing listingOf(const QByteArray &archive, const QByteArray &etag)
{
    ferry::zipread::ArchiveListing listing;
    QBuffer buffer;
    buffer.setData(archive);
    buffer.open(QIODevice::ReadOnly);
    ferry::zipread::ZipReader reader(&buffer);
    if (!reader.open()) {
        listing.error = reader.errorString();
        return listing;
    }
    listing.entries = reader.entries();
    listing.archiveSize = archive.size();
    listing.etag = etag;
    listing.centralDirectoryOffset = reader.centralDirectoryOffset();
    return listing;
}

qsizetype indexOf(const ferry::zipread::ArchiveListing &listing, const QString &name)
{
    for (qsizetype i = 0; i < listing.entries.size(); ++i) {
        if (listing.entries.at(i).name == name)
            return i;
    }
    return -1;
}

QPair<qint64, qint64> parseRange(const QByteArray &header)
{
    if (!header.startsWith("bytes="))
        return {-1, -1};
    const QList<QByteArray> parts = header.mid(6).split('-');
    bool a = false, b = false;
    if (parts.size() != 2)
        return {-1, -1};
    const qint64 first = parts.at(0).toLongLong(&a);
    const qint64 last = parts.at(1).toLongLong(&b);
    return a && b ? QPair<qint64, qint64>{first, last} : QPair<qint64, qint64>{-1, -1};
}

} // namespace ferry::test::zipread
