#pragma once

#include "zipread/archivelisting.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

// Helpers of the tests of archive entries downloaded by the engine: archives written by Python's
// zipfile at test time, their listings, and what a server was asked for.
namespace ferry::test::zipread {

struct ArchiveFile
{
    ArchiveFile() = default;
    ArchiveFile(QString name_, QByteArray content_, bool deflated_ = false,
                QString unicodePath_ = {})
        : name(std::move(name_)), content(std::move(content_)), deflated(deflated_),
          unicodePath(std::move(unicodePath_))
    {
    }
    QString name;
    QByteArray content;
    bool deflated = false;
    QString unicodePath; // when set: an ASCII `name` with this name in a Unicode Path field
};

// Where an entry lies in an archive made by makeZip().
struct EntryPlace
{
    qint64 offset = -1; // local header
    qint64 data = -1;   // first data byte
    qint64 packed = 0;
};

// Writes the archive with python3's zipfile; empty on failure (the reason in *error).
QByteArray makeZip(const QString &workDir, const QList<ArchiveFile> &files,
                   QHash<QString, EntryPlace> *places, QString *error);

// Text that deflates to roughly a third: words drawn from a small vocabulary, seeded.
QByteArray wordText(qint64 size, quint32 seed);

// The listing of `archive` as its server's copy: its size, and `etag` as the server sends it.
ferry::zipread::ArchiveListing listingOf(const QByteArray &archive, const QByteArray &etag);

// The index of the entry named `name`, -1 if none.
qsizetype indexOf(const ferry::zipread::ArchiveListing &listing, const QString &name);

// "bytes=a-b" -> {a, b}; {-1, -1} when it is not exactly that.
QPair<qint64, qint64> parseRange(const QByteArray &header);

} // namespace ferry::test::zipread
