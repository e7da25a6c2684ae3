#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

// Runs the archive readers users have (Info-ZIP unzip, Python's zipfile, bsdtar, 7z) against an
// archive and reports what they saw. Each check returns an empty string on success, else what
// went wrong, so tests can QVERIFY2 on it.
namespace ferry::test::zipreaders {

// The readers that are not installed, by package name; empty when all are there.
QStringList missingReaders();

// `unzip -t`: every entry tests OK.
QString unzipTest(const QString &archive);
// `unzip -Z1`: the entry names in archive order (UTF-8).
QStringList unzipNames(const QString &archive);

// Python zipfile: testzip() finds no bad entry; the result holds "entries", each with name,
// size, csize, method, flags, extractVersion, createVersion, dateTime [y,m,d,h,mi,s], ut (the
// UTC mtime of the 0x5455 extra, or -1) and sha256 (of the last `hashLast` entries up to
// 256 MiB, else empty: reading 70,000 entries one by one takes Python several seconds).
QString pythonCheck(const QString &archive, QJsonObject *result, int hashLast = 1 << 30);

// `bsdtar -tf`: names in archive order; `streamed` reads from stdin (the streaming reader).
QString bsdtarList(const QString &archive, bool streamed, QStringList *names);
// `bsdtar -xOf`: all entry contents concatenated in archive order.
QString bsdtarExtractAll(const QString &archive, bool streamed, QByteArray *content);
// `bsdtar -xOf` piped into a byte counter, for contents too big to hold.
QString bsdtarExtractedSize(const QString &archive, bool streamed, qint64 *size);

// `7z t`: "Everything is Ok".
QString sevenZipTest(const QString &archive);

} // namespace ferry::test::zipreaders
